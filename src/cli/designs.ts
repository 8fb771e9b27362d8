/**
 * `mapletree study --designs`: the recoveries argued over in the RFC thread × the walkers and the
 * careless walker, and the node reserve's figures for the default parent, this process and
 * generated parents of 10^3, 10^4 and 10^5 VMAs. Terminal table, or JSON under a `designs` key.
 */
import { availableParallelism } from 'node:os';
import { readProcStable } from './proc.js';
import { int, list, positiveInt } from './args.js';
import pc from 'picocolors';
import { EXIT, fsError } from './errors.js';
import { writeDesignsReport } from '../study/designs-html.js';
import { defaultParentMm, DESIGN_STUDY_WALKERS, runDesigns } from '../study/designs.js';
import { generatedParent, parentFromMaps } from '../study/designs-reserve.js';
import { designsJson } from '../study/designs-json.js';
import { designsTable } from '../study/designs-table.js';
import { DEFAULT_RESERVE_NODES } from '../mm/config.js';
import type { Mm } from '../mm/mm.js';
import { ALL_WALKERS, type WalkerName } from '../study/scenario.js';

/** The walkers run by default: those whose door the base kernel leaves open, and the careless one. */
export const DESIGNS_DEFAULT_WALKERS: readonly WalkerName[] = DESIGN_STUDY_WALKERS.filter((w) => w !== 'oom-reaper' && w !== 'ksmd' && w !== 'khugepaged');

export interface DesignsCliOptions {
  readonly bound?: string;
  readonly walker?: string;
  readonly workers?: string;
  readonly maxExecutions?: string;
  readonly strategy?: string;
  readonly json?: boolean;
  readonly reserveNodes?: string;
  /** The report's directory (default mapletree-designs), or false for none. */
  readonly html?: string | false;
}

/** The reserve's parents: the default one, this process's own maps, and the generated ones. */
function reserveParents(): Array<readonly [string, Mm]> {
  const parents: Array<readonly [string, Mm]> = [['default parent', defaultParentMm()]];
  try {
    parents.push([`this process (/proc/${process.pid}/maps)`, parentFromMaps(readProcStable('/proc/self/maps'))]);
  } catch {
    // No procfs here: the other parents still answer.
  }
  for (const n of [1_000, 10_000, 100_000]) parents.push([`generated, ${n} VMAs`, generatedParent(n)]);
  return parents;
}

export async function runDesignsCli(opts: DesignsCliOptions, io: { log?: (line: string) => void; explicit?: ReadonlySet<string>; inThread?: boolean } = {}): Promise<number> {
  const log = io.log ?? console.log;
  // The designs run a bound of 1 unless one is asked for: 2 takes several times as long.
  const bound = io.explicit?.has('bound') && opts.bound !== undefined ? int(opts.bound, 'bound') : 1;
  const walkers = opts.walker === undefined ? DESIGNS_DEFAULT_WALKERS : list(opts.walker, ALL_WALKERS, 'walker');
  const workers = opts.workers !== undefined ? positiveInt(opts.workers, 'workers') : Math.min(2, availableParallelism());
  const result = await runDesigns({
    bound, walkers, workers, maxExecutions: opts.maxExecutions !== undefined ? positiveInt(opts.maxExecutions, 'max-executions') : 200_000,
    strategy: opts.strategy === 'dfs' ? 'dfs' : 'dpor', reserveParents: reserveParents(),
    reserveNodes: opts.reserveNodes !== undefined ? positiveInt(opts.reserveNodes, 'reserve-nodes') : DEFAULT_RESERVE_NODES,
    ...(io.inThread !== undefined ? { inThread: io.inThread } : { inThread: false }),
  });
  if (opts.json) {
    log(JSON.stringify({ designs: designsJson(result) }, null, 2));
  } else {
    for (const line of designsTable(result)) log(line);
    if (opts.html !== false) {
      // Not the study's own report folder unless asked for: the two reports would overwrite each other.
      const dir = io.explicit?.has('html') && opts.html !== undefined ? opts.html : 'mapletree-designs';
      let index: string;
      try {
        index = writeDesignsReport(dir, result);
      } catch (error) {
        throw fsError(error, 'write the report in', dir);
      }
      log('');
      log(pc.dim(`HTML report: ${index}`));
    }
  }
  return EXIT.ok;
}
