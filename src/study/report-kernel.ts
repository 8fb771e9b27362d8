/**
 * Links from a trace step to the kernel source it models: the functions a step label names (the
 * function the step runs in, and the call it makes) at the configuration's kernel release, on
 * Bootlin's Elixir cross-referencer. They are plain hrefs: the report itself loads nothing.
 */
import { escapeHtml as esc } from '../explore/html.js';

const ELIXIR = 'https://elixir.bootlin.com/linux';

/** A kernel identifier: snake_case with at least one underscore (so `walk` or `uffd` never links). */
const IDENT = /^_*[a-z][a-z0-9]*(?:_[a-z0-9]+)+/;

/**
 * The Elixir tag of a configuration: the first release it names (`6.12.51-6.12.82` -> `v6.12.51`,
 * `6.8.0-6.8.7` -> `v6.8`, a counterfactual `cf:6.11.6+uffd-fix` -> `v6.11.6`, the real kernel it
 * changes); a name with no release links to `latest`.
 */
export function kernelTag(configuration: string | undefined): string {
  const m = configuration === undefined ? null : /^(?:cf:)?v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(configuration);
  if (!m) return 'latest';
  return `v${m[1]}.${m[2]}${m[3] !== undefined && m[3] !== '0' ? `.${m[3]}` : ''}`;
}

/** Where `fn` is defined and used, at `tag`. */
export function kernelUrl(fn: string, tag: string): string {
  return `${ELIXIR}/${tag}/A/ident/${encodeURIComponent(fn)}`;
}

function link(fn: string, tag: string): string {
  return `<a class="k" href="${esc(kernelUrl(fn, tag))}" title="${esc(`${fn} in Linux ${tag}`)}">${esc(fn)}</a>`;
}

/** A piece of a step label; `fn` when it names a kernel function. */
export interface LabelPart {
  readonly text: string;
  readonly fn: boolean;
}

/**
 * A step label cut where it names kernel functions: the function the step runs in (the label's
 * start) and the call it makes (just after the first `: `). In
 * `copy_page_range (dup_mmap VMA 3 …): spin_lock(&mmlist_lock)` those are copy_page_range and spin_lock.
 */
export function labelParts(label: string): LabelPart[] {
  const colon = label.indexOf(': ');
  const pieces = colon < 0 ? [label] : [label.slice(0, colon), ': ', label.slice(colon + 2)];
  const out: LabelPart[] = [];
  pieces.forEach((text, i) => {
    const m = i % 2 === 0 ? IDENT.exec(text) : null;
    if (m) {
      out.push({ text: m[0], fn: true });
      if (m[0].length < text.length) out.push({ text: text.slice(m[0].length), fn: false });
    } else if (text !== '') {
      out.push({ text, fn: false });
    }
  });
  return out;
}

/** A step label as HTML, its kernel functions linked at `tag`. */
export function linkedLabel(label: string, tag: string): string {
  return labelParts(label).map((p) => (p.fn ? link(p.text, tag) : esc(p.text))).join('');
}
