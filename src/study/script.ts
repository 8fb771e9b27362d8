/**
 * Scripted runs: a scenario under one fixed schedule, written as "run this task until this holds,
 * then that one", plus an optional allocation fault. This is how the known crashes are replayed on
 * purpose (Charan's swapoff oops, syzbot's uprobe crash) rather than found by search.
 */
import { runExecution, type Chooser, type DecisionPoint, type ExecutionResult, type FaultPlan } from '../explore/execution.js';
import { functionArg, optionsArg, show, stringArg } from '../mm/args.js';
import { arrayArg, configurationArg, faultArg, oneOfArg, scenarioOptionsArg, scenarioWorldArg } from './args.js';
import { buildScenario, type ScenarioOptions, type ScenarioWorld } from './scenario.js';

export interface ScriptStep {
  /** The task to run (by name: 'fork', 'swapoff', 'uprobe', 'oom_reaper', 'uffd'). */
  readonly task: string;
  /** Move to the next step once this holds (checked before every decision); omitted: run to the end. */
  readonly until?: (world: ScenarioWorld) => boolean;
}

export interface ScriptedRun {
  readonly world: ScenarioWorld;
  readonly run: ExecutionResult;
}

/** Picks the script's current task whenever it can run; otherwise the lowest-numbered runnable task. */
class ScriptChooser implements Chooser {
  #step = 0;
  constructor(private readonly world: ScenarioWorld, private readonly script: readonly ScriptStep[], private readonly names: readonly string[]) {}

  choose(point: DecisionPoint): number {
    if (point.kind === 'choice') return point.options[0]!;
    while (this.#step < this.script.length && this.script[this.#step]!.until?.(this.world)) this.#step++;
    const step = this.script[this.#step];
    if (step) {
      const t = this.names.indexOf(step.task);
      if (t < 0) throw new RangeError(`script names task ${JSON.stringify(step.task)}; the scenario has ${this.names.join(', ')}`);
      if (point.options.includes(t)) return t;
    }
    return point.options[0]!;
  }
}

/** Runs the scenario once under the script (and the fault plan, if any), recording every event. */
export function runScript(options: ScenarioOptions, script: readonly ScriptStep[], fault: FaultPlan | null = null): ScriptedRun {
  scenarioOptionsArg('runScript', options);
  arrayArg('runScript', 'script', script).forEach((step, i) => {
    const o = optionsArg('runScript', `script[${i}]`, step, ['task', 'until']);
    stringArg('runScript', `script[${i}].task`, o['task']);
    if (o['until'] !== undefined) functionArg('runScript', `script[${i}].until`, o['until']);
  });
  faultArg('runScript', fault);
  const world = buildScenario(options);
  const names = world.tasks.map((t) => t.name);
  script.forEach((step, i) => {
    if (!names.includes(step.task)) throw new RangeError(`runScript: script[${i}].task ${show(step.task)} is no task of the scenario; it has ${names.join(', ')}`);
  });
  const chooser = new ScriptChooser(world, script, names);
  const run = runExecution({ tasks: world.tasks, finalCheck: () => world.finalCheck(), stateKey: () => world.stateKey() }, chooser, { fault, record: true });
  return { world, run };
}

/** The script step predicate "dup_mmap has returned" (locks dropped, dup_mm's mmput not yet run). */
export function dupMmapReturned(world: ScenarioWorld): boolean {
  scenarioWorldArg('dupMmapReturned', world);
  return world.fork.outcome.value !== undefined;
}

/**
 * Charan Teja Kalla's swapoff oops (Aug 2025): a fatal signal reaches the forking parent after a VMA
 * with swapped-out pages was copied (so the child is on the mmlist); swapoff runs before dup_mm's
 * mmput and walks into the marker.
 */
export function swapoffOops(kernel: string): ScriptedRun {
  configurationArg('swapoffOops', 'kernel', kernel);
  return runScript({ kernel, walkers: ['swapoff'], signalAtVma: 4 },
    [{ task: 'fork', until: dupMmapReturned }, { task: 'swapoff' }, { task: 'fork' }]);
}

/**
 * syzbot's uprobe crash (Dec 2024): failslab fails vm_area_dup for the data segment right after the
 * probed text segment; uprobe registration reaches the child through the file's i_mmap before
 * dup_mm's mmput, and anon_vma_prepare reads the marker as the next VMA.
 */
export function uprobeCrash(kernel: string): ScriptedRun {
  configurationArg('uprobeCrash', 'kernel', kernel);
  return runScript({ kernel, walkers: ['uprobe'] },
    [{ task: 'fork', until: dupMmapReturned }, { task: 'uprobe' }, { task: 'fork' }],
    { task: 'fork', site: 'vm_area_dup', nth: 3, mode: 'once' });
}

/** The script step predicate "a fork event is queued" (fork now sleeps until the monitor reads it). */
export function forkEventQueued(world: ScenarioWorld): boolean {
  scenarioWorldArg('forkEventQueued', world);
  return world.kernel.uffdEvents.length > 0;
}

/**
 * The userfaultfd door by ENOMEM (before f64e67e5d3a4): vm_area_dup fails after the registered
 * buffer was copied, dup_userfaultfd_complete queues the child's fork event and sleeps until the
 * monitor reads it; the monitor registers the child's range and walks into the marker.
 */
export function uffdEventCrash(kernel: string): ScriptedRun {
  configurationArg('uffdEventCrash', 'kernel', kernel);
  return runScript({ kernel, walkers: ['uffd'] },
    [{ task: 'fork', until: forkEventQueued }, { task: 'uffd' }, { task: 'fork' }],
    { task: 'fork', site: 'vm_area_dup', nth: 6, mode: 'once' });
}

/**
 * The withdrawal walk (before f64e67e5d3a4): a fatal signal fails the fork after the registered
 * buffer was copied; dup_userfaultfd_complete withdraws the fork event and walks the child's tree
 * to clear its contexts (userfaultfd_release_new) — into the marker, in the forking task itself.
 */
export function uffdWithdrawCrash(kernel: string): ScriptedRun {
  configurationArg('uffdWithdrawCrash', 'kernel', kernel);
  return runScript({ kernel, walkers: ['uffd-withdraw'], signalAtVma: 6 }, [{ task: 'fork' }]);
}

/**
 * The ksmd and khugepaged doors (before 985da552a98e): ksm_fork and khugepaged_fork register the
 * child before __mt_dup; vm_area_dup then fails, and the scanner walks the child's tree (mm_users is
 * still 1) into the marker before dup_mm's mmput.
 */
export function scannerCrash(kernel: string, scanner: 'ksmd' | 'khugepaged'): ScriptedRun {
  configurationArg('scannerCrash', 'kernel', kernel);
  oneOfArg('scannerCrash', 'scanner', scanner, ['ksmd', 'khugepaged']);
  return runScript({ kernel, walkers: [scanner] },
    [{ task: 'fork', until: dupMmapReturned }, { task: scanner }, { task: 'fork' }],
    { task: 'fork', site: 'vm_area_dup', nth: 3, mode: 'once' });
}
