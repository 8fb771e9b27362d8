import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayDivergence } from '../../src/explore/execution.js';
import { cellPage, studyHtml, writeStudyReport } from '../../src/study/html.js';
import { kernelTag, kernelUrl, labelParts, linkedLabel } from '../../src/study/report-kernel.js';
import { pageName } from '../../src/study/report-page.js';
import { writeTraceReport } from '../../src/study/report-traces.js';
import { explore } from '../../src/explore/explore.js';
import '../../src/explore/classics.js';
import { childSteps } from '../../src/study/report-steps.js';
import { swapoffOops } from '../../src/study/script.js';
import { studyCell, type StudyCell, type StudyResult } from '../../src/study/study.js';
import { racingObjects } from '../../src/explore/report.js';
import { makeTrace, type Trace } from '../../src/explore/trace.js';
import { FORK_EXIT_MODEL, variantName } from '../../src/study/model.js';
import { DEFAULT_PARENT, WALKER_NAMES } from '../../src/study/scenario.js';

const PREFIX = '6.10-6.11.6';

/** Charan's swapoff oops as a trace: a fatal signal at VMA 4, swapoff runs before dup_mm's mmput. */
function oopsTrace(): Trace {
  const { run } = swapoffOops(PREFIX);
  return makeTrace(FORK_EXIT_MODEL, variantName(PREFIX, 'swapoff', 'signal@4'), 'script', null, null, run);
}

describe('childSteps: the child after every step of a counterexample', () => {
  const trace = oopsTrace();
  const { views, after } = childSteps(trace);

  it('has a view after every step and before the first', () => {
    expect(trace.violation?.kind).toBe('null-deref');
    expect(after).toHaveLength(trace.stats.steps + 1);
    for (const i of after) expect(views[i]).toBeDefined();
    expect(new Set(after).size).toBe(views.length);
  });

  it('starts with no child, then shows the parent\'s tree as __mt_dup copied it', () => {
    expect(views[after[0]!]!.mm).toBeNull();
    const dup = trace.events.findIndex((e) => e.label.endsWith('__mt_dup'));
    const copied = views[after[trace.events[dup]!.step]!]!;
    expect(copied.mm).toMatch(/^mm#\d+$/);
    expect(copied.maps.length).toBe(8);
    expect(copied.maps.every((r) => r.mark === 'foreign')).toBe(true);
    expect(copied.svg).toContain('<svg');
    expect(copied.svg).not.toContain('zero (257)');
  });

  it('ends with the marker at VMA 4, the VMAs before it the child\'s and those after it the parent\'s', () => {
    const end = views[after[after.length - 1]!]!;
    const marks = end.maps.map((r) => r.mark);
    expect(marks).toEqual([null, null, null, null, 'zero', 'foreign', 'foreign', 'foreign']);
    expect(end.maps[4]!.text).toMatch(/^7ffff7d00000-7ffff7d04000 XA_ZERO_ENTRY/);
    expect(end.svg).toMatch(/<text class="hl"[^>]*>0x7ffff7d00000-0x7ffff7d03fff: zero \(257\)<\/text>/);
  });

  it('replays a study of another parent with that parent, and refuses to without it', () => {
    const parent = { specs: DEFAULT_PARENT.slice(0, 5) };
    const cell = studyCell(PREFIX, 'swapoff', { bound: 1, strategy: 'dpor', parent });
    expect(cell.trace!.model).toMatch(/^fork-exit@/);
    const end = childSteps(cell.trace!, parent);
    expect(end.views[end.after[end.after.length - 1]!]!.maps.map((r) => r.mark)).toContain('zero');
    expect(() => childSteps(cell.trace!)).toThrow(/the parent given registers fork-exit$/);
  });

  it('writes a study of another parent with that parent: its maps head the index, its traces replay', () => {
    const parent = { specs: DEFAULT_PARENT.slice(0, 5) };
    const cell = studyCell(PREFIX, 'swapoff', { bound: 1, strategy: 'dpor', parent });
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-report-'));
    try {
      writeStudyReport(dir, { bound: 1, parentVmas: 5, parent, results: [cell], executions: cell.executions, timeMs: 0 }, ['swapoff'], [PREFIX]);
      const index = readFileSync(join(dir, 'index.html'), 'utf8');
      const maps = /<pre id="parent-maps">([^<]*)<\/pre>/.exec(index)![1]!.trim().split('\n');
      expect(maps).toHaveLength(5);
      expect(readdirSync(dir)).toContain(cellPage(cell));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a trace the model no longer runs', () => {
    const tampered: Trace = { ...trace, events: trace.events.map((e, i) => (i === 3 ? { ...e, label: 'something else' } : e)) };
    expect(() => childSteps(tampered)).toThrow(ReplayDivergence);
  });
});

describe('kernel source links', () => {
  it('cuts a label at the function it runs in and the call it makes', () => {
    const fns = (label: string): string[] => labelParts(label).filter((p) => p.fn).map((p) => p.text);
    expect(fns('copy_page_range (dup_mmap VMA 3 vma#4[0x1-0x2]): spin_lock(&mmlist_lock)')).toEqual(['copy_page_range', 'spin_lock']);
    expect(fns('dup_mmap: __mt_dup')).toEqual(['dup_mmap', '__mt_dup']);
    expect(fns('try_to_unuse (swapoff): walk mmlist')).toEqual(['try_to_unuse']);
    expect(fns('uffd monitor: read(uffd) → UFFD_EVENT_FORK')).toEqual([]);
    const label = 'unuse_mm (swapoff): mmap_read_lock(mm#1)';
    expect(labelParts(label).map((p) => p.text).join('')).toBe(label);
  });

  it('links at the release\'s tag, escaping the rest', () => {
    expect(kernelTag('6.12.51')).toBe('v6.12.51');
    expect(kernelTag('v6.8')).toBe('v6.8');
    expect(kernelTag('teardown')).toBe('latest');
    expect(kernelTag('6.8.0-6.8.7')).toBe('v6.8');
    expect(kernelTag('6.12.51-6.12.82')).toBe('v6.12.51');
    expect(kernelTag('cf:6.11.6+uffd-fix')).toBe('v6.11.6');
    expect(kernelTag('7.0')).toBe('v7.0');
    expect(kernelUrl('dup_mmap', 'v6.8')).toBe('https://elixir.bootlin.com/linux/v6.8/A/ident/dup_mmap');
    expect(linkedLabel('dup_mm: <x>', 'v7.0')).toBe('<a class="k" href="https://elixir.bootlin.com/linux/v7.0/A/ident/dup_mm" title="dup_mm in Linux v7.0">dup_mm</a>: &lt;x&gt;');
  });
});

describe('the study report', () => {
  const bug = studyCell(PREFIX, 'swapoff', { bound: 1, strategy: 'dpor' });
  const verified: StudyCell = { ...studyCell('6.17.1+', 'swapoff', { bound: 1, strategy: 'dpor' }) };
  const result = (cells: StudyCell[]): StudyResult => ({ bound: 1, parentVmas: 8, results: cells, executions: 0, timeMs: 0 });

  it('names pages safely and says "capped" rather than "verified" for a search that hit its cap', () => {
    expect(pageName('6.12.51-…', 'swapoff')).toBe('6.12.51-_--swapoff.html');
    const capped: StudyCell = { ...verified, exhaustive: false };
    const html = studyHtml(result([bug, capped]), ['swapoff', 'uffd'], [PREFIX, capped.configuration]);
    expect(html).toContain(`href="${cellPage(bug)}"`);
    expect(html).toMatch(/no bug in \d+ executions \(capped\)/);
    expect(html).not.toContain('<td class="verified">');
  });

  it('writes the index and one page per counterexample, each linking back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-report-'));
    try {
      writeStudyReport(dir, result([bug, verified]), ['swapoff', 'uffd'], [PREFIX, verified.configuration]);
      expect(readdirSync(dir).sort()).toEqual([cellPage(bug), 'index.html'].sort());
      const page = readFileSync(join(dir, cellPage(bug)), 'utf8');
      expect(page).toContain('<a href="index.html">');
      expect(page).toContain('mapletree replay mt1:');
      expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('racing objects', () => {
  // Every walker that crashes on the child itself (the OOM reaper never reaches it; the withdrawal's
  // crash is in the forking task).
  const walkers = WALKER_NAMES.filter((w) => w !== 'oom-reaper' && w !== 'uffd-withdraw');
  it.each(walkers)('the %s counterexample names the child\'s tree, which fork writes and the walker reads', (walker) => {
    const cell = studyCell(PREFIX, walker, { bound: 1, strategy: 'dpor' });
    expect(cell.outcome).toBe('bug');
    const child = childSteps(cell.trace!).views.find((v) => v.mm !== null)!.mm!;
    expect([...racingObjects(cell.trace!.events)]).toContain(`${child}.mm_mt`);
  });
});

describe('writeTraceReport: the bugs of a run over several models', () => {
  it('writes one page per bug, the fork-exit one with the child beside the lanes, and an index linking them', () => {
    const classic = explore({ model: 'lost-update', strategy: 'dfs', bound: 1 }).trace!;
    const dir = mkdtempSync(join(tmpdir(), 'mapletree-traces-'));
    try {
      writeTraceReport(dir, [classic, oopsTrace()], 'two models');
      const index = readFileSync(join(dir, 'index.html'), 'utf8');
      const pages = [...index.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]!);
      expect(pages).toHaveLength(2);
      expect(readdirSync(dir).sort()).toEqual(['index.html', ...pages].sort());
      const [classicPage, forkPage] = pages.map((p) => readFileSync(join(dir, p), 'utf8'));
      expect(classicPage).toContain('<a href="index.html">← two models</a>');
      expect(classicPage).not.toContain('class="child"');
      expect(forkPage).toContain('class="child"');
      expect(forkPage).toContain('<svg');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
