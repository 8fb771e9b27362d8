/**
 * The study in the terminal: the parent's maps, the configuration × walker table, and one
 * counterexample per walker as lanes with its replay token. Returns lines; the CLI prints them.
 * A cell says only what was shown: ✓ for a search that covered everything up to the bound, "no bug
 * in N executions (capped)" for one that hit the cap, n/a or unreachable with the reason.
 */
import pc from 'picocolors';
import { traceToken } from '../explore/trace.js';
import { KERNEL_RELEASES, kernelConfig } from '../mm/config.js';
import { formatMaps } from '../mm/maps.js';
import { exactBecause } from './compressed-cell.js';
import { counterexampleLanes } from './lanes.js';
import { indexArg, optionsArg, stringArg } from '../mm/args.js';
import { cellArg, resultArg, stringsArg, workersArg } from './args.js';
import { latestParent, type WalkerName } from './scenario.js';
import type { StudyCell, StudyResult } from './study.js';


/** The parent's maps are printed in full up to this many lines, summarised beyond. */
const MAPS_SHOWN = 24;

/** A cell's text, without colour or footnote. */
export function cellText(c: StudyCell): string {
  cellArg('cellText', 'cell', c);
  switch (c.outcome) {
    case 'bug': {
      // The oops address for this kernel's vm_area_struct layout, as the report's first line shows it.
      const addr = /virtual address 0x0*([0-9a-f]+)/.exec(c.message ?? '')?.[1];
      return `✗ ${c.kind}${addr === undefined ? '' : ` 0x${addr}`} (${c.traceLength} steps)`;
    }
    case 'verified': return c.exhaustive ? `✓ verified (${c.executions} runs)` : `no bug in ${c.executions} executions (capped)`;
    case 'unreachable': return 'unreachable';
    case 'n/a': return 'n/a';
    case 'error': return 'error';
  }
}

function paintCell(c: StudyCell, text: string): string {
  if (c.outcome === 'bug') return pc.red(text);
  if (c.outcome === 'verified') return c.exhaustive ? pc.green(text) : pc.yellow(text);
  if (c.outcome === 'error') return pc.magenta(text);
  return pc.dim(text);
}

export interface StudyTableOptions {
  readonly configurations: readonly string[];
  readonly walkers: readonly WalkerName[];
  readonly strategy: string;
  /** Worker threads, or 'queue' for a run spread over a job queue's workers. */
  readonly workers: number | 'queue';
  /** Columns for the counterexample lanes (the terminal's width or --width). */
  readonly width?: number;
  /** A parent given by the user: where it came from, its maps (or smaps) text, and the flags that give it again. */
  readonly parent?: { readonly source: string; readonly maps: string; readonly flags: string };
}

/**
 * The combinations that differ from their members alone, with what they cost; or, when none were
 * run, how to run them.
 */
function combinationLines(result: StudyResult): string[] {
  const combos = result.combinations;
  if (combos === undefined) {
    return [pc.dim('Walkers together: not run (--combinations none). --combinations pairs (the default) runs the pairs that can differ from their members alone; ' +
      '--combinations all runs every pair — hours on 2 cores (README).')];
  }
  const differing = combos.filter((c) => c.differs !== null);
  const cost = combos.reduce((n, c) => n + c.cell.executions, 0);
  const out = [pc.bold('Walkers together') + pc.dim(` — ${combos.length} combination${combos.length === 1 ? '' : 's'} run (${cost} executions); ` +
    `${differing.length} differ${differing.length === 1 ? 's' : ''} from ${differing.length === 1 ? 'its' : 'their'} members alone:`)];
  const confWidth = Math.max(0, ...differing.map((c) => c.cell.configuration.length)) + 2;
  const setWidth = Math.max(0, ...differing.map((c) => c.cell.walker.length)) + 2;
  for (const { cell, members, differs } of differing) {
    const alone = members.map((m) => `${m.walker} ${cellText(m)}`).join(', ');
    out.push(`${cell.configuration.padEnd(confWidth)}${cell.walker.padEnd(setWidth)}${paintCell(cell, cellText(cell))}  ${pc.dim(`${cell.executions} executions; alone: ${alone}`)}`);
    out.push(pc.dim(`${' '.repeat(confWidth + setWidth)}${differs}`));
  }
  const skipped = combos.filter((c) => c.notCompared !== null).length;
  if (skipped > 0) out.push(pc.dim(`${skipped} not compared (a member or the combination capped, or an error).`));
  out.push(pc.dim(`The pairs run are those that can differ: no member crashes alone (its crash is found together too), some member reaches the child alone, ` +
    `and no member's door is closed by the kernel whoever else runs (the OOM reaper, userfaultfd after f64e67e5d3a4, ksmd and khugepaged after 985da552a98e); ` +
    `the rest can differ only in who waits for a lock within the bound: --combinations all runs every pair (hours on 2 cores).`));
  return out;
}

function parentLines(result: StudyResult, parent: StudyTableOptions['parent']): string[] {
  let maps: string[];
  if (parent === undefined) {
    maps = formatMaps(latestParent(result.parent)).trimEnd().split('\n');
  } else {
    maps = parent.maps.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l)).map((l) => l.trimEnd());
  }
  const heading = parent !== undefined
    ? `Parent process: ${parent.source} (${result.parentVmas} VMAs):`
    : result.parent === undefined
      ? `Parent process (${result.parentVmas} VMAs; some heap and stack pages on swap):`
      : `Parent process (${result.parentVmas} VMAs):`;
  const out = [pc.dim(heading)];
  const shown = maps.length <= MAPS_SHOWN ? maps : [...maps.slice(0, MAPS_SHOWN / 2), `… ${maps.length - MAPS_SHOWN} more …`, ...maps.slice(-MAPS_SHOWN / 2)];
  for (const line of shown) out.push(pc.dim(`  ${line}`));
  return out;
}

/** What the cells searched on the compressed parent were searched on, and which rows were searched exact. */
function compressionLines(results: readonly StudyCell[], configurations: readonly string[]): string[] {
  const c = results.find((r) => r.compressed)?.compressed;
  if (!c) return [];
  const exact = configurations.filter((conf) => results.some((r) => r.configuration === conf && !r.compressed));
  const why = [...new Set(exact.map((conf) => exactBecause(kernelConfig(conf))).filter((w): w is string => w !== null))];
  return [pc.dim(`Searched on the process compressed by class: ${c.vmas} of ${c.of} VMAs, by ${c.classes} classes (a VMA whose failure points ` +
    `have an earlier VMA's signature — its class, and ${c.margin} VMAs of each class before and after it, counted — is left out; docs/walkers.md, ` +
    `"Class compression"). Failure points are numbered as in this process; a counterexample's steps, and its replay, are the compressed parent's. ` +
    `--exact searches every VMA.${exact.length > 0 ? ` Searched exact: ${exact.join(', ')}${why.length > 0 ? ` (${why.join('; ')})` : ''}.` : ''}`)];
}

/** The checks of studyTable's arguments. */
function studyTableArgs(result: unknown, options: unknown): void {
  const fn = 'studyTable';
  resultArg(fn, 'result', result);
  if (options === undefined) throw new TypeError(`${fn}: options must be an object of options, got undefined`);
  const o = optionsArg(fn, 'options', options, ['configurations', 'walkers', 'strategy', 'workers', 'width', 'parent']);
  stringsArg(fn, 'options.configurations', o['configurations']);
  stringsArg(fn, 'options.walkers', o['walkers']);
  stringArg(fn, 'options.strategy', o['strategy']);
  workersArg(fn, 'options.workers', o['workers'], true);
  if (o['width'] !== undefined) indexArg(fn, 'options.width', o['width']);
  if (o['parent'] !== undefined) {
    const p = optionsArg(fn, 'options.parent', o['parent'], ['source', 'maps', 'flags']);
    for (const key of ['source', 'maps', 'flags']) stringArg(fn, `options.parent.${key}`, p[key]);
  }
}

export function studyTable(result: StudyResult, options: StudyTableOptions): string[] {
  studyTableArgs(result, options);
  const { configurations, walkers, strategy, workers } = options;
  const { bound, results } = result;
  const out: string[] = [];
  out.push(pc.bold('mapletree study') + pc.dim(' — fork() fails half way; who can reach the half-built child?'));
  out.push(...parentLines(result, options.parent));
  out.push(...compressionLines(results, configurations));
  out.push('');

  const cellOf = (conf: string, w: WalkerName): StudyCell | undefined => results.find((r) => r.configuration === conf && r.walker === w);
  // Reasons become numbered notes under the table; equal reasons share a number.
  const notes: string[] = [];
  const texts = configurations.map((conf) => walkers.map((w) => {
    const c = cellOf(conf, w);
    if (c === undefined) return '';
    const text = cellText(c);
    if (c.reason === undefined || c.outcome === 'bug' || c.outcome === 'verified') return text;
    let n = notes.indexOf(c.reason);
    if (n < 0) n = notes.push(c.reason) - 1;
    return `${text} [${n + 1}]`;
  }));
  const confWidth = Math.max('configuration'.length, ...configurations.map((c) => c.length)) + 2;
  const widths = walkers.map((w, j) => Math.max(w.length, ...texts.map((row) => row[j]!.length)) + 2);
  // The real kernels first; the counterfactual rows (one fact of a real kernel changed) apart.
  const isCounterfactual = (conf: string): boolean => KERNEL_RELEASES.find((k) => k.name === conf)?.counterfactual === true;
  for (const counterfactual of [false, true]) {
    const rows = configurations.map((conf, i) => [conf, i] as const).filter(([conf]) => isCounterfactual(conf) === counterfactual);
    if (rows.length === 0) continue;
    if (counterfactual) out.push('', pc.bold('Counterfactual kernels') + pc.dim(' — one fact of a real kernel changed, to isolate what it does (no kernel ever shipped these):'));
    const head = counterfactual ? 'counterfactual' : 'configuration';
    out.push(`${head.padEnd(confWidth)}${walkers.map((w, j) => w.padEnd(widths[j]!)).join('')}`.trimEnd());
    for (const [conf, i] of rows) {
      const cols = walkers.map((w, j) => {
        const c = cellOf(conf, w);
        const text = texts[i]![j]!.padEnd(widths[j]!);
        return c === undefined ? text : paintCell(c, text);
      });
      out.push(`${conf.padEnd(confWidth)}${cols.join('')}`.trimEnd());
    }
  }
  out.push('');
  notes.forEach((note, n) => out.push(pc.dim(`[${n + 1}] ${note}`)));
  out.push(pc.dim(`✗: the walker crashes the kernel (the oops address for that kernel's layout, the minimal counterexample's length); ` +
    `✓: it gets hold of the failed child, and no interleaving with up to ${bound} preemption${bound === 1 ? '' : 's'} crashes, for every failure point ` +
    `(every n-th allocation, a fatal signal at each VMA); unreachable: in none of those interleavings does it get hold of the failed child; ` +
    `capped: the search stopped at --max-executions, so it shows no bug only in what it ran.`));
  out.push(pc.dim(`${result.executions} executions (${strategy}) in ${(result.timeMs / 1000).toFixed(1)} s on ${workers === 'queue' ? 'the queue\'s workers' : `${workers} worker${workers === 1 ? '' : 's'}`}.`));
  out.push('', ...combinationLines(result));

  // One counterexample per walker, from the first configuration that has it.
  for (const w of walkers) {
    const c = results.find((r) => r.walker === w && r.trace);
    if (!c?.trace) continue;
    out.push('');
    out.push(pc.bold(`${w} under ${c.configuration}: ${c.message}`));
    out.push(pc.dim(`fork failure: ${c.failurePoint}; found after ${c.executionsToFirstBug} executions (${c.timeToFirstBugMs!.toFixed(0)} ms); ` +
      `${c.trace.stats.steps} steps, ${c.trace.stats.preemptions} preemption(s)`));
    out.push(...counterexampleLanes(c.trace, { width: options.width ?? 100 }));
    out.push(pc.dim(`replay: mapletree replay ${traceToken(c.trace)}${options.parent ? ` ${options.parent.flags}` : ''}`));
  }
  return out;
}
