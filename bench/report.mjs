/**
 * Turns the workers' results into tables: one per workload and key space, libraries as rows and
 * sizes as columns, each cell the figure and its ratio to our tree. Also the Targets table.
 */
import { LIBS } from './adapters/index.mjs';

export const WORKLOAD_INFO = {
  'seq-store': { title: 'Sequential range stores (build n ranges in order)', unit: 'ops/s' },
  load: { title: 'Random point loads (1e5 points, ~75% inside a range)', unit: 'ops/s' },
  iterate: { title: 'Full iteration (forEach; sorted-btree: forEachPair)', unit: 'ranges/s' },
  'iterate-mas': { title: 'Full iteration, maple advanced API (MaState.find loop)', unit: 'ranges/s' },
  'rand-store': { title: 'Random range stores that overwrite and split (min(n, 1e4) stores)', unit: 'ops/s' },
  erase: { title: 'Random erases of whole ranges (min(n/2, 1e4))', unit: 'ops/s' },
  'gap-rev': { title: 'Gap search, highest fit below a random point (maple: emptyAreaRev; peers: reverse scan)', unit: 'ops/s' },
  alloc: { title: 'Allocate lowest fit above a random point (maple: allocRange; peers: forward scan + store)', unit: 'ops/s' },
  dup: { title: 'dup() / clone() of the whole map', unit: 'ns/range', lowerIsBetter: true },
  'dup-writes': { title: 'Copy, then min(n, 1e4) random range stores to the copy', unit: 'ms total', lowerIsBetter: true },
  memory: { title: 'Heap per range after forced GC', unit: 'bytes/range', lowerIsBetter: true },
};

/**
 * The workloads bench/native's binaries run (Linux's own maple tree), by our workload name: both
 * iteration rows compare with the kernel's mas_for_each loop.
 */
export const NATIVE_WORKLOADS = {
  'seq-store': 'seq-store', load: 'load', iterate: 'iterate', 'iterate-mas': 'iterate', 'rand-store': 'rand-store',
  erase: 'erase', 'gap-rev': 'gap-rev', alloc: 'alloc', dup: 'dup', memory: 'memory',
};

/** Library names in table order: the adapters, then any native builds the results hold. */
function libNames(results) {
  const native = [...new Set(results.filter((r) => r.native).map((r) => r.lib))];
  return [...Object.keys(LIBS), ...native];
}
const label = (lib) => LIBS[lib]?.label ?? `Linux 6.18 ${lib}`;

/** The number a table shows for one result, in the workload's unit. */
export function figure(r) {
  if (r.workload === 'memory') return r.bytesPerRange;
  if (r.workload === 'dup') return (r.medianMs * 1e6) / r.size;
  if (r.workload === 'dup-writes') return r.medianMs;
  return r.opsPerSec;
}

function fmt(x) {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

export const sizeLabel = (s) => `1e${Math.round(Math.log10(s))}`;

/** Each cell: the figure in the workload's unit and, in brackets, that figure ÷ maple's. */
export function tables(results, sizes) {
  const out = [];
  const key = (r) => `${r.lib}|${r.workload}|${r.size}|${r.keyspace}`;
  const byKey = new Map(results.map((r) => [key(r), r]));
  for (const keyspace of ['31', '52']) {
    for (const [w, info] of Object.entries(WORKLOAD_INFO)) {
      const rows = [];
      for (const lib of libNames(results)) {
        const cells = sizes.map((s) => {
          const r = byKey.get(`${lib}|${w}|${s}|${keyspace}`);
          if (!r || r.skipped === 'n/a') return null;
          if (r.skipped) return `not run (${r.skipped})`;
          const ours = byKey.get(`maple|${w}|${s}|${keyspace}`);
          const ratio = ours ? figure(r) / figure(ours) : NaN;
          return r.error ? 'error' : `${fmt(figure(r))} (${Number.isFinite(ratio) ? ratio.toFixed(2) : '?'}×)`;
        });
        if (cells.some((c) => c !== null)) rows.push([label(lib), ...cells.map((c) => c ?? '—')]);
      }
      if (rows.length === 0) continue;
      const better = info.lowerIsBetter ? 'lower is better' : 'higher is better';
      out.push({
        title: `${info.title} — keys ${keyspace === '31' ? '< 2^31' : 'in [2^51, 2^52)'}`,
        caption: `${info.unit}, ${better}; (×) = this library's figure ÷ maple's`,
        header: ['library', ...sizes.map(sizeLabel)],
        rows,
      });
    }
  }
  return out;
}

export function targets(results) {
  const get = (lib, w, ks) => {
    const rs = results.filter((r) => r.lib === lib && r.workload === w && r.keyspace === ks && !r.error);
    return rs.sort((a, b) => b.size - a.size)[0];
  };
  const rows = [];
  for (const ks of ['31', '52']) {
    const at = (r) => (r ? sizeLabel(r.size) : '—');
    const ratioRow = (name, w, goal) => {
      const a = get('maple', w, ks);
      const b = get('sorted-btree', w, ks);
      if (!a || !b || a.size !== b.size) return;
      const x = a.opsPerSec / b.opsPerSec;
      rows.push([name, ks, at(a), `${x.toFixed(2)}× sorted-btree`, `≥ ${goal}×`, x >= goal ? 'met' : 'missed']);
    };
    // Issue 19's targets against the sorted-btree adapter.
    ratioRow('random loads', 'load', 3);
    ratioRow('random range stores', 'rand-store', 2);
    ratioRow('sequential range stores', 'seq-store', 2);
    ratioRow('erase', 'erase', 2);
    ratioRow('iteration (forEach vs forEachPair)', 'iterate', 1.2);
    const d = get('maple', 'dup', ks);
    if (d) rows.push(['dup()', ks, at(d), `${figure(d).toFixed(1)} ns/range`, '≤ 30 ns/range', figure(d) <= 30 ? 'met' : 'missed']);
    const m = get('maple', 'memory', ks);
    if (m) rows.push(['heap per range', ks, at(m), `${m.bytesPerRange.toFixed(1)} B`, '≤ 64 B', m.bytesPerRange <= 64 ? 'met' : 'missed']);
    // Against Linux's own tree run in the same minute: our cost ÷ the kernel's, every row.
    for (const lib of libNames(results).filter((l) => !LIBS[l])) {
      for (const w of Object.keys(NATIVE_WORKLOADS)) {
        const a = get('maple', w, ks);
        const b = get(lib, w, ks);
        if (!a || !b || a.size !== b.size) continue;
        const lower = WORKLOAD_INFO[w].lowerIsBetter === true;
        const x = lower ? figure(a) / figure(b) : figure(b) / figure(a);
        rows.push([`${w} vs native`, ks, at(a), `${x.toFixed(2)}× ${lib}'s ${lower ? WORKLOAD_INFO[w].unit : 'time'}`, '≤ 1.25×', x <= 1.25 ? 'met' : 'missed']);
      }
    }
  }
  return { header: ['target', 'keys', 'size', 'measured', 'goal', 'result'], rows };
}

export function markdownTable({ header, rows }) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Plain aligned text for the terminal. */
export function textTable({ header, rows }) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  return all.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}
