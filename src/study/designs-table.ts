/**
 * The designs study in the terminal: recovery design × walker, the careless walker on real kernels,
 * one line per counterexample with its replay token, and the node reserve's figures.
 */
import pc from 'picocolors';
import { traceToken } from '../explore/trace.js';
import { kernelRelease } from '../mm/config.js';
import { CARELESS_REAL_KERNELS, DESIGN_CONFIGURATIONS, type DesignsResult } from './designs.js';
import { TWO_FORKS_VMAS } from './designs-two-forks.js';
import type { StudyCell } from './study.js';
import { cellText } from './table.js';

function paint(c: StudyCell, text: string): string {
  if (c.outcome === 'bug') return pc.red(text);
  if (c.outcome === 'verified') return c.exhaustive ? pc.green(text) : pc.yellow(text);
  if (c.outcome === 'error') return pc.magenta(text);
  return pc.dim(text);
}

function grid(rows: readonly string[], cols: readonly string[], at: (row: string, col: string) => StudyCell | undefined, head: string): string[] {
  const texts = rows.map((r) => cols.map((w) => {
    const c = at(r, w);
    return c ? cellText(c) : '';
  }));
  const rowWidth = Math.max(head.length, ...rows.map((r) => r.length)) + 2;
  const widths = cols.map((w, j) => Math.max(w.length, ...texts.map((t) => t[j]!.length)) + 2);
  const out = [`${head.padEnd(rowWidth)}${cols.map((w, j) => w.padEnd(widths[j]!)).join('')}`.trimEnd()];
  rows.forEach((r, i) => {
    const line = cols.map((w, j) => {
      const c = at(r, w);
      const text = texts[i]![j]!.padEnd(widths[j]!);
      return c ? paint(c, text) : text;
    });
    out.push(`${r.padEnd(rowWidth)}${line.join('')}`.trimEnd());
  });
  return out;
}

export function designsTable(result: DesignsResult): string[] {
  const at = (conf: string, w: string): StudyCell | undefined => result.cells.find((c) => c.configuration === conf && c.walker === w);
  const out: string[] = [];
  out.push(pc.bold('Designs') + pc.dim(' — the recoveries argued over in the RFC thread, each on 7.0 without its reader-side fixes:'));
  if (result.section !== undefined) out.push(pc.dim(`  This study's section of them: ${result.section}.`));
  const rows = DESIGN_CONFIGURATIONS.filter((c) => result.walkers.some((w) => at(c, w)));
  for (const name of rows) out.push(pc.dim(`  ${name}: ${kernelRelease(name).note}`));
  if (rows.some((name) => kernelRelease(name).config.nodeReserve)) out.push(pc.dim(`  The reserve designs ran with a reserve of ${result.reserve.nodes} nodes.`));
  out.push('');
  out.push(...grid(rows, result.walkers, at, 'design'));
  const real = CARELESS_REAL_KERNELS.filter((c) => at(c, 'careless'));
  if (real.length > 0) {
    out.push('', pc.dim('The careless walker (reads find_vma(mm, 0)->vm_start with no NULL check) on real kernels:'));
    out.push(...grid(real, ['careless'], at, 'kernel'));
  }
  const allocations = [
    ...(result.faultModes.includes('once') ? ['the n-th allocation alone'] : []),
    ...(result.faultModes.includes('persistent') ? ['the n-th and every later one (the recovery\'s own stores fail too)'] : []),
  ];
  out.push('', pc.dim(`Every failure point: ${allocations.join(', ')}, ` +
    `a fatal signal at each VMA; every interleaving with up to ${result.bound} preemption${result.bound === 1 ? '' : 's'}. ` +
    `${result.executions} executions in ${(result.timeMs / 1000).toFixed(1)} s.`));
  if (result.fallbacks.length > 0) {
    out.push('', pc.dim('The fallbacks, on a parent of height 2 (16 VMAs), every allocation from the n-th on failing, so the clearing store fails where it needs a node:'));
    for (const c of result.fallbacks) out.push(`  ${`${c.configuration} × ${c.walker}`.padEnd(40)}${paint(c, cellText(c))}`);
  }
  const bugs = [...result.cells, ...result.fallbacks].filter((c) => c.outcome === 'bug' && c.trace);
  if (bugs.length > 0) out.push('', pc.bold('Counterexamples'));
  for (const c of bugs) {
    out.push(`${c.configuration} × ${c.walker}: ${c.kind} at ${c.failurePoint} (${c.traceLength} steps)`);
    out.push(pc.dim(`  ${c.message}`));
    out.push(pc.dim(`  replay: mapletree replay ${traceToken(c.trace!)}`));
  }
  out.push(...reserveLines(result));
  out.push(...twoForksLines(result));
  return out;
}

function twoForksLines(result: DesignsResult): string[] {
  if (result.twoForks.length === 0) return [];
  const out = ['', pc.bold('Two forks failing at once, sharing the reserve') +
    pc.dim(` — two ${TWO_FORKS_VMAS}-VMA processes; every allocation of each fork from its n-th on fails, the refills too:`)];
  for (const r of result.twoForks) {
    const verdict = r.bug ? pc.red(`✗ ${r.bug.kind}: ${r.bug.message}`) : pc.green(`no bug in ${r.executions} executions${r.exhaustive ? '' : ' (capped)'}`);
    out.push(`${`${r.design} @ ${r.nodes} nodes`.padEnd(40)}${verdict}; the two recoveries: ${r.outcomes.join(', ')}`);
  }
  return out;
}

function reserveLines(result: DesignsResult): string[] {
  const { reserve } = result;
  const out = ['', pc.bold(`The node reserve (${reserve.nodes} nodes)`) +
    pc.dim(' — nodes the clearing store over [failing VMA, ULONG_MAX] needs, per failure point (the tree\'s mas_preallocate count):')];
  const head = ['parent', 'VMAs', 'height', 'max', 'at VMA', 'allocating', 'RCU max', 'RCU allocating'];
  const rows = reserve.figures.map((f) => [f.parent, String(f.vmas), String(f.height), String(f.max), String(f.argMax),
    `${f.allocating}/${f.vmas}`, String(f.rcuMax), `${f.rcuAllocating}/${f.vmas}`]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)) + 2);
  out.push(head.map((h, j) => h.padEnd(widths[j]!)).join('').trimEnd());
  for (const r of rows) out.push(r.map((v, j) => v.padEnd(widths[j]!)).join('').trimEnd());
  const v = reserve.verdict;
  out.push(pc.dim(`One failing fork needs at most ${v.max} (RCU ${v.rcuMax}) of ${v.nodes}: ${v.oneFits && v.rcuOneFits ? 'covered' : 'NOT covered'}; ` +
    `two failing at once, the first one's refill failing: ${v.twoForks} (RCU ${v.rcuTwoForks}): ${v.twoFit && v.rcuTwoFit ? 'covered' : 'NOT covered'}.`));
  const heights = reserve.byHeight.map((h) => `height ${h.height}: ${h.max}${h.rcuMax === h.max ? '' : ` (RCU ${h.rcuMax})`}`).join(', ');
  out.push(pc.dim(`Largest need by tree height: ${heights}.`));
  if (reserve.exceedsAtHeight !== null) {
    const measured = reserve.byHeight.some((h) => h.height === reserve.exceedsAtHeight);
    out.push(pc.dim(measured
      ? `The need exceeds ${reserve.nodes} at height ${reserve.exceedsAtHeight} (measured).`
      : `Every height of two or more measured needs exactly 3·height + 1, so the need would exceed ${reserve.nodes} from height ${reserve.exceedsAtHeight} (extrapolated; the tallest tree measured has height ${Math.max(...reserve.byHeight.map((h) => h.height))}).`));
  } else {
    out.push(pc.dim(`No measured tree's need exceeds ${reserve.nodes}, and the needs do not follow one line, so no height is extrapolated.`));
  }
  return out;
}
