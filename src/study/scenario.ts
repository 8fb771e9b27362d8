/**
 * Directed scenarios: a parent process, a fork that may fail where you choose, a kernel
 * configuration and the walkers that race the fork — built fresh for every execution, so the
 * explorer (or the synchronous driver) can run them as tasks. The default parent is a small but
 * realistic process: an executable with text and data, a heap with pages out on swap, a
 * userfaultfd-registered buffer, a MADV_DONTFORK buffer, a library and a stack.
 */
import type { TaskSpec } from '../explore/model.js';
import type { Task } from '../explore/protocol.js';
import { kernelConfig, type KernelConfig } from '../mm/config.js';
import { mmput } from '../mm/exit.js';
import { dupMm, type DupMmapOutcome, type ForkOptions } from '../mm/fork.js';
import { Kernel } from '../mm/kernel.js';
import { addVmas, type VmaSpec } from '../mm/layout.js';
import { findLeaks } from '../mm/leaks.js';
import { mmFromMaps } from '../mm/maps.js';
import type { Mm } from '../mm/mm.js';
import { UffdCtx } from '../mm/vma.js';
import { oomReaper } from '../mm/walkers/oom-reaper.js';
import { tryToUnuse } from '../mm/walkers/swapoff.js';
import { uffdMonitor } from '../mm/walkers/uffd.js';
import { registerForEachVma } from '../mm/walkers/uprobe.js';
import { createMm } from '../mm/mm.js';

export type WalkerName = 'swapoff' | 'uprobe' | 'oom-reaper' | 'uffd';
export const WALKER_NAMES: readonly WalkerName[] = ['swapoff', 'uprobe', 'oom-reaper', 'uffd'];

/** The probed executable and offset of the default parent (its text segment). */
export const DEFAULT_UPROBE = { path: '/usr/bin/app', offset: 0x1000 } as const;

/** The VMA that a userfaultfd monitor registers in the default parent (by start address). */
const UFFD_VMA_START = 0x7ffff7d00000;

/** The default parent, in address order. */
export const DEFAULT_PARENT: readonly VmaSpec[] = [
  { start: 0x555555554000, end: 0x555555555000, perms: 'r--p', file: { path: '/usr/bin/app' }, resident: 1 },
  { start: 0x555555555000, end: 0x555555557000, perms: 'r-xp', file: { path: '/usr/bin/app', offset: 0x1000 }, resident: 2 },
  { start: 0x555555557000, end: 0x555555558000, perms: 'rw-p', file: { path: '/usr/bin/app', offset: 0x3000 }, resident: 1 },
  { start: 0x555555559000, end: 0x55555557a000, perms: 'rw-p', name: '[heap]', resident: 4, swapped: 2 },
  { start: UFFD_VMA_START, end: 0x7ffff7d04000, perms: 'rw-p', resident: 1 },
  { start: 0x7ffff7e00000, end: 0x7ffff7e02000, perms: 'rw-p', name: '[anon:dma-buf]', dontcopy: true, resident: 1 },
  { start: 0x7ffff7f00000, end: 0x7ffff7f10000, perms: 'r-xp', file: { path: '/usr/lib/libc.so.6' }, resident: 2 },
  { start: 0x7ffffffde000, end: 0x7ffffffff000, perms: 'rw-p', name: '[stack]', resident: 2, swapped: 1 },
];

export interface ScenarioOptions {
  readonly kernel: KernelConfig | string;
  /** The parent: VMA specs, or the text of a /proc/<pid>/maps file (no pages populated). */
  readonly parent?: readonly VmaSpec[] | string;
  readonly walkers?: readonly WalkerName[];
  /** A fatal signal is pending from the k-th VMA the fork's loop visits on; null for none. */
  readonly signalAtVma?: number | null;
  /** After a successful fork the child exits at once (default), so every run ends in a clean state. */
  readonly childExits?: boolean;
  readonly uprobe?: { readonly path: string; readonly offset: number };
}

/** One execution's world: the kernel, the parent, the tasks and what the fork did. */
export interface ScenarioWorld {
  readonly kernel: Kernel;
  readonly parent: Mm;
  readonly tasks: TaskSpec[];
  readonly fork: { child: Mm | null; outcome: { value?: DupMmapOutcome }; done: boolean };
  /** The end-of-run check: leaks and invariants of what survives. */
  finalCheck(): string | null;
  stateKey(): string;
}

export function buildScenario(options: ScenarioOptions): ScenarioWorld {
  const config = typeof options.kernel === 'string' ? kernelConfig(options.kernel) : options.kernel;
  const kernel = new Kernel(config);
  const walkers = options.walkers ?? [];
  const parentSpec = options.parent ?? DEFAULT_PARENT;
  let parent: Mm;
  if (typeof parentSpec === 'string') {
    parent = mmFromMaps(kernel, parentSpec);
  } else {
    parent = createMm(kernel);
    let specs = parentSpec;
    if (walkers.includes('uffd')) {
      const ctx = new UffdCtx(kernel, parent, true);
      parent.mmgrab();
      specs = parentSpec.map((s) => (s.start === UFFD_VMA_START ? { ...s, uffd: ctx } : s));
    }
    addVmas(kernel, parent, specs);
  }
  const forkOptions: ForkOptions = {
    signalAtVma: options.signalAtVma ?? null,
    oomVictim: walkers.includes('oom-reaper'),
  };
  const childExits = options.childExits ?? true;
  const fork = { child: null as Mm | null, outcome: {} as { value?: DupMmapOutcome }, done: false };
  function* forkTask(): Task<unknown> {
    const child = yield* dupMm(kernel, parent, forkOptions, fork.outcome);
    fork.child = child;
    if (child && childExits) yield* mmput(child, 'child exit_mm');
    fork.done = true;
    return child ? 'forked' : 'failed';
  }
  const tasks: TaskSpec[] = [{ name: 'fork', run: forkTask }];
  const probe = options.uprobe ?? DEFAULT_UPROBE;
  for (const walker of walkers) {
    if (walker === 'swapoff') tasks.push({ name: 'swapoff', run: () => tryToUnuse(kernel) });
    else if (walker === 'uprobe') {
      const file = kernel.files.get(probe.path);
      if (!file) throw new RangeError(`the uprobe target ${probe.path} is not mapped by the parent`);
      tasks.push({ name: 'uprobe', run: () => registerForEachVma(kernel, file, probe.offset) });
    } else if (walker === 'oom-reaper') tasks.push({ name: 'oom_reaper', run: () => oomReaper(kernel, () => fork.done) });
    else if (walker === 'uffd') tasks.push({ name: 'uffd', run: () => uffdMonitor(kernel, () => fork.done) });
  }
  return {
    kernel, parent, tasks, fork,
    finalCheck() {
      const survivors = [parent];
      if (fork.child && !childExits) survivors.push(fork.child);
      const problems = findLeaks(kernel, survivors);
      return problems.length === 0 ? null : `leak check: ${problems.join('; ')}`;
    },
    stateKey() {
      const o = fork.outcome.value;
      return `${fork.child ? 'forked' : `failed@${o?.failedAt ?? 'dup_mm'}`}|swap ${kernel.swap.used}|anon ${kernel.anonPages}|parent rss ${parent.pt.anonPages}/${parent.pt.swapEntries}`;
    },
  };
}

/** How many VMAs the fork's loop visits in this parent (the range of signalAtVma). */
export function parentVmaCount(parent: readonly VmaSpec[] | string = DEFAULT_PARENT): number {
  if (typeof parent !== 'string') return parent.length;
  const kernel = new Kernel();
  return mmFromMaps(kernel, parent).mapCount;
}

