/**
 * The study in the terminal: the parent's maps, the configuration × walker table, and one
 * counterexample per walker as a lane table with its replay token. Returns lines; the CLI prints them.
 */
import pc from 'picocolors';
import { laneTable } from '../explore/report.js';
import { traceToken } from '../explore/trace.js';
import { Kernel } from '../mm/kernel.js';
import { addVmas } from '../mm/layout.js';
import { formatMaps } from '../mm/maps.js';
import { createMm } from '../mm/mm.js';
import { DEFAULT_PARENT, type WalkerName } from './scenario.js';
import type { StudyCell, StudyResult } from './study.js';

export function cellText(c: StudyCell): string {
  if (c.outcome === 'bug') return `✗ ${c.kind} (${c.traceLength} steps)`;
  return `✓ verified (${c.executions} runs)${c.exhaustive ? '' : ' capped'}`;
}

export interface StudyTableOptions {
  readonly configurations: readonly string[];
  readonly walkers: readonly WalkerName[];
  readonly strategy: string;
  readonly workers: number;
}

export function studyTable(result: StudyResult, options: StudyTableOptions): string[] {
  const { configurations, walkers, strategy, workers } = options;
  const { bound, results } = result;
  const out: string[] = [];
  out.push(pc.bold('mapletree study') + pc.dim(' — fork() fails half way; who can reach the half-built child?'));
  out.push(pc.dim(`Parent process (${result.parentVmas} VMAs; some heap and stack pages on swap):`));
  const kernel = new Kernel();
  const shown = createMm(kernel);
  addVmas(kernel, shown, DEFAULT_PARENT);
  for (const line of formatMaps(shown).trimEnd().split('\n')) out.push(pc.dim(`  ${line}`));
  out.push('');
  const width = 27;
  out.push(`${'configuration'.padEnd(30)}${walkers.map((w) => w.padEnd(width)).join('')}`);
  for (const conf of configurations) {
    const cols = walkers.map((w) => {
      const c = results.find((r) => r.configuration === conf && r.walker === w)!;
      const text = cellText(c).padEnd(width);
      return c.outcome === 'bug' ? pc.red(text) : pc.green(text);
    });
    out.push(`${conf.padEnd(30)}${cols.join('')}`);
  }
  out.push('');
  out.push(pc.dim(`✗: the walker crashes the kernel (the minimal counterexample's length); ✓: no violation in any interleaving with up to ${bound} ` +
    `preemption${bound === 1 ? '' : 's'}, for every failure point (a fatal signal at each VMA, every n-th allocation).`));
  out.push(pc.dim(`${result.executions} executions (${strategy}) in ${(result.timeMs / 1000).toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}.`));

  // One counterexample per walker from the first configuration that has it.
  for (const w of walkers) {
    const c = results.find((r) => r.walker === w && r.trace);
    if (!c?.trace) continue;
    out.push('');
    out.push(pc.bold(`${w} under ${c.configuration}: ${c.message}`));
    out.push(pc.dim(`fork failure: ${c.failurePoint}; found after ${c.executionsToFirstBug} executions (${c.timeToFirstBugMs!.toFixed(0)} ms); ` +
      `${c.trace.stats.steps} steps, ${c.trace.stats.preemptions} preemption(s)`));
    const tail = { ...c.trace, events: c.trace.events.slice(-14) };
    out.push(laneTable(tail, 44));
    out.push(pc.dim(`replay: mapletree replay ${traceToken(c.trace)}`));
  }
  return out;
}
