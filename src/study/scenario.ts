/**
 * Directed scenarios: a parent process, a fork that may fail where you choose, a kernel
 * configuration and the walkers that race the fork — a fresh world for every execution, so the
 * explorer (or the synchronous driver) can run them as tasks. The parent is built once per
 * configuration and each execution gets a copy of it (kernel-copy.ts). The default parent is a small but
 * realistic process: an executable with text and data, a heap with pages out on swap, a
 * userfaultfd-registered buffer, a MADV_DONTFORK buffer, a library and a stack.
 */
import type { TaskSpec } from '../explore/model.js';
import type { Footprint } from '../explore/protocol.js';
import { runSync, SyncDeadlock } from '../explore/sync.js';
import { ModelViolation, read, trylock, unlock, waitUntil, write, type Task } from '../explore/protocol.js';
import { kernelConfig, LATEST_KERNEL, type KernelConfig } from '../mm/config.js';
import { mmput } from '../mm/exit.js';
import { dupMm, type DupMmapOutcome, type ForkOptions } from '../mm/fork.js';
import { Kernel } from '../mm/kernel.js';
import { copyKernel } from '../mm/kernel-copy.js';
import { addVmas, pageOut, populate, type VmaSpec } from '../mm/layout.js';
import { findLeaks } from '../mm/leaks.js';
import { mmapReadLock, mmapReadUnlock, vmaLockId } from '../mm/locks.js';
import { mmFromMaps, parseMaps } from '../mm/maps.js';
import { createMm, type Mm } from '../mm/mm.js';
import { PAGE_SIZE, VM_READ, VM_WRITE } from '../mm/constants.js';
import { UffdCtx, type Vma } from '../mm/vma.js';
import { oomReaper } from '../mm/walkers/oom-reaper.js';
import { parentAfterFork, parentAfterForkArg, type ParentAfterFork } from '../mm/walkers/parent.js';
import { firstAnonFolio, tryToUnmap } from '../mm/walkers/reclaim.js';
import { pageTableRmapWalk } from '../mm/walkers/rmap-walker.js';
import { procPidMaps } from '../mm/walkers/task-lookup.js';
import { khugepagedScan, ksmdScan } from '../mm/walkers/scanners.js';
import { carelessWalker } from '../mm/walkers/careless.js';
import { forkFootprint, reclaimFootprint, scannerFootprint, uprobeFootprint, walkerFootprint } from '../mm/walkers/footprint.js';
import { tryToUnuse } from '../mm/walkers/swapoff.js';
import { uffdMonitor } from '../mm/walkers/uffd.js';
import { registerForEachVma } from '../mm/walkers/uprobe.js';
import { parentArg, registerWorld, scenarioOptionsArg, walkerArg, walkersArg } from './args.js';
import { WALKER_TASK, type WalkerName } from './walker-names.js';
import { fieldId } from '../mm/names.js';

export { ALL_WALKERS, DESIGN_WALKERS, EXTRA_WALKERS, WALKER_FAILURES, WALKER_NAMES, WALKER_TASK, type WalkerName } from './walker-names.js';

/** The probed executable and offset of the default parent (its text segment). */
export const DEFAULT_UPROBE = { path: '/usr/bin/app', offset: 0x1000 } as const;

/** The buffer a userfaultfd monitor registers in the default parent. */
export const DEFAULT_UFFD = { start: 0x7ffff7d00000, end: 0x7ffff7d04000 } as const;

/** The default parent, in address order. */
export const DEFAULT_PARENT: readonly VmaSpec[] = [
  { start: 0x555555554000, end: 0x555555555000, perms: 'r--p', file: { path: '/usr/bin/app' }, resident: 1 },
  { start: 0x555555555000, end: 0x555555557000, perms: 'r-xp', file: { path: '/usr/bin/app', offset: 0x1000 }, resident: 2 },
  { start: 0x555555557000, end: 0x555555558000, perms: 'rw-p', file: { path: '/usr/bin/app', offset: 0x3000 }, resident: 1 },
  { start: 0x555555559000, end: 0x55555557a000, perms: 'rw-p', name: '[heap]', resident: 4, swapped: 2 },
  { start: DEFAULT_UFFD.start, end: DEFAULT_UFFD.end, perms: 'rw-p', resident: 1 },
  { start: 0x7ffff7e00000, end: 0x7ffff7e02000, perms: 'rw-p', name: '[anon:dma-buf]', dontcopy: true, resident: 1 },
  { start: 0x7ffff7f00000, end: 0x7ffff7f10000, perms: 'r-xp', file: { path: '/usr/lib/libc.so.6' }, resident: 2 },
  { start: 0x7ffffffde000, end: 0x7ffffffff000, perms: 'rw-p', name: '[stack]', resident: 2, swapped: 1 },
];

/**
 * The forking process: VMA specs, or the text of /proc/<pid>/maps or smaps (smaps' Rss: and Swap:
 * give resident and swapped pages), with the uprobe target and the userfaultfd registration the
 * walkers use (procfs shows neither a probe nor a registration).
 */
export interface ParentProcess {
  readonly specs?: readonly VmaSpec[];
  readonly maps?: string;
  /** Default: the default parent's text segment, or a maps file's first executable file mapping. */
  readonly uprobe?: { readonly path: string; readonly offset: number };
  /** The registered range [start, end); default: the default parent's buffer, none for a maps file. */
  readonly uffd?: { readonly start: number; readonly end: number } | null;
  /** What the parent does once the fork has returned: exit, or munmap a range (walkers/parent.ts). */
  readonly afterFork?: ParentAfterFork;
}

export interface ScenarioOptions {
  readonly kernel: KernelConfig | string;
  readonly parent?: ParentProcess;
  readonly walkers?: readonly WalkerName[];
  /** A fatal signal arrives when the fork's loop reaches its k-th VMA; null for none. */
  readonly signalAtVma?: number | null;
  /** After a successful fork the child exits at once (default), so every run ends in a clean state. */
  readonly childExits?: boolean;
  /**
   * The fork task declares its footprint (default true; walkers/footprint.ts, forkFootprint), so
   * the explorer need not offer a switch before a walker's step the fork cannot see — a scanner's
   * read of a tree it holds the mmap_lock of, a walker's task-local step. False: no footprint, as
   * before, for comparing (the study's cells are the same either way; docs/walkers.md).
   */
  readonly forkFootprint?: boolean;
}

/** One execution's world: the kernel, the parent, the tasks and what the fork did. */
export interface ScenarioWorld {
  readonly kernel: Kernel;
  readonly parent: Mm;
  readonly tasks: TaskSpec[];
  /** taskMm: what get_task_mm on the child task gives (null until the task is published, and after exit_mm). */
  readonly fork: { child: Mm | null; outcome: { value?: DupMmapOutcome }; done: boolean; taskMm: Mm | null };
  /** The end-of-run check: leaks and invariants of what survives. */
  finalCheck(): string | null;
  stateKey(): string;
}

/** The parent as the scenario needs it: the uprobe target and the uffd range resolved. */
interface ResolvedParent {
  readonly build: (kernel: Kernel) => Mm;
  readonly uprobe: { readonly path: string; readonly offset: number } | null;
  readonly uffd: { readonly start: number; readonly end: number } | null;
}

/**
 * The file and offset a parent's uprobe is placed at: the one it names, else a maps parent's first
 * executable file mapping, else the default parent's (`lines`: the maps already parsed).
 */
export function parentUprobe(parent: ParentProcess, lines = parent.maps !== undefined ? parseMaps(parent.maps) : undefined): { readonly path: string; readonly offset: number } | null {
  if (parent.uprobe) return parent.uprobe;
  if (lines !== undefined) {
    const exec = lines.find((l) => l.perms[2] === 'x' && l.name.startsWith('/'));
    return exec ? { path: exec.name, offset: exec.offset } : null;
  }
  return parent.specs === undefined ? DEFAULT_UPROBE : null;
}

function resolveParent(parent: ParentProcess = {}): ResolvedParent {
  if (parent.maps !== undefined) {
    const lines = parseMaps(parent.maps);
    return {
      build: (kernel) => {
        const mm = mmFromMaps(kernel, parent.maps!);
        for (const line of lines as ReadonlyArray<{ start: number; rssPages?: number; swapPages?: number }>) {
          const resident = line.rssPages ?? 0;
          const swapped = line.swapPages ?? 0;
          if (resident + swapped === 0 || line.start > Number.MAX_SAFE_INTEGER) continue;
          const vma = mm.mmMt.load(line.start) as Vma | undefined;
          if (!vma) continue;
          // Only what the process could have touched: no page of an unreadable mapping, and written
          // pages (private copies, so swappable) only where the mapping is writable anonymous memory.
          if ((vma.vmFlags & VM_READ) === 0) continue;
          const pages = Math.min(resident + swapped, vma.pages);
          populate(mm, vma.vmStart, pages * PAGE_SIZE, vma.isAnonymous && (vma.vmFlags & VM_WRITE) !== 0);
          if (vma.isAnonymous) pageOut(mm, vma.vmStart, Math.min(swapped, pages) * PAGE_SIZE);
        }
        return mm;
      },
      uprobe: parentUprobe(parent, lines),
      uffd: parent.uffd ?? null,
    };
  }
  const specs = parent.specs ?? DEFAULT_PARENT;
  const isDefault = parent.specs === undefined;
  return {
    build: (kernel) => {
      const mm = createMm(kernel);
      addVmas(kernel, mm, specs);
      return mm;
    },
    uprobe: parentUprobe(parent),
    uffd: parent.uffd !== undefined ? parent.uffd : isDefault ? DEFAULT_UFFD : null,
  };
}

/**
 * Why `walker` has nothing to reach in this parent, or null when it has: a walker the parent gives no
 * way in is reported n/a with this reason, never verified. `together`: the walkers it runs with
 * (reclaim can give swapoff swap entries a parent has none of).
 */
export function walkerNotApplicable(walker: WalkerName, parent?: ParentProcess, together: readonly WalkerName[] = []): string | null {
  walkerArg('walkerNotApplicable', 'walker', walker);
  parentArg('walkerNotApplicable', 'parent', parent ?? {});
  walkersArg('walkerNotApplicable', 'together', together);
  const cache = parentCache(parent);
  const resolved = cache.resolved;
  const { kernel, parent: mm } = parentWorld(cache, kernelConfig(LATEST_KERNEL));
  if (walker === 'swapoff' && mm.pt.swapEntries === 0 && !together.includes('reclaim')) return 'no swapped pages in this process: swapoff has nothing to walk';
  if (walker === 'reclaim' && firstAnonFolio(mm) === null) return 'no resident anonymous page in this process: reclaim has nothing to swap out';
  if (walker === 'uprobe') {
    if (!resolved.uprobe) return 'no executable file mapping to probe';
    if (!kernel.files.has(resolved.uprobe.path)) return `the uprobe target ${resolved.uprobe.path} is not mapped by this process`;
  }
  if (walker === 'uffd' || walker === 'uffd-withdraw') {
    if (!resolved.uffd) return 'no userfaultfd registration (procfs cannot show one; give a range to register)';
    const { start, end } = resolved.uffd;
    if (mm.mmMt.find(start, end - 1) === undefined) return `no VMA in the userfaultfd range [0x${start.toString(16)}, 0x${end.toString(16)})`;
  }
  return null;
}

/** How many VMAs the fork's loop visits in this parent (the range of signalAtVma). */
export function parentVmaCount(parent?: ParentProcess): number {
  parentArg('parentVmaCount', 'parent', parent ?? {});
  return latestParent(parent).mapCount;
}

/** The parent as built for the latest kernel, from the cache: a copy, for the reports to read. */
export function latestParent(parent?: ParentProcess): Mm {
  return parentWorld(parentCache(parent), kernelConfig(LATEST_KERNEL)).parent;
}

/**
 * How many allocations the fork of a scenario makes when none fails and it runs alone (the walkers
 * set up, as a cell sets them up, but not running): the length of a cell's allocation sweep, less
 * one. Counted up to where the fork would wait for a walker (a uffd monitor's read), which makes
 * no allocation after it.
 */
export function forkAllocations(parent: ParentProcess | undefined, config: KernelConfig, walkers: readonly WalkerName[] = []): number {
  const cache = parentCache(parent);
  let counts = cache.forkAllocations.get(config);
  if (counts === undefined) cache.forkAllocations.set(config, (counts = new Map()));
  const key = walkers.join('+');
  let n = counts.get(key);
  if (n === undefined) {
    const world = buildScenario({ kernel: config, walkers, ...(parent ? { parent } : {}) });
    let count = 0;
    try {
      runSync(world.tasks[0]!.run(), { allocate: () => ++count > 0 });
    } catch (e) {
      if (!(e instanceof SyncDeadlock)) throw e;
    }
    n = count;
    counts.set(key, n);
  }
  return n;
}

/** A parent resolved once, and built once per kernel configuration. */
interface ParentCache {
  readonly resolved: ResolvedParent;
  readonly built: WeakMap<KernelConfig, { readonly kernel: Kernel; readonly parent: Mm }>;
  readonly forkAllocations: WeakMap<KernelConfig, Map<string, number>>;
}

/** The key of the default parent (no ParentProcess given). */
const DEFAULT_PARENT_KEY = {};
const parentCaches = new WeakMap<object, ParentCache>();

/** The cache of `parent`, by the object's identity (a ParentProcess is never changed in place). */
function parentCache(parent: ParentProcess | undefined): ParentCache {
  const key = parent ?? DEFAULT_PARENT_KEY;
  let cache = parentCaches.get(key);
  if (cache === undefined) {
    cache = { resolved: resolveParent(parent), built: new WeakMap(), forkAllocations: new WeakMap() };
    parentCaches.set(key, cache);
  }
  return cache;
}

/**
 * A fresh kernel holding the parent: a copy of the one built for `config` (built on first use
 * through the model's own syscalls and faults), so every execution starts from the same state
 * without paying for the build again.
 */
function parentWorld(cache: ParentCache, config: KernelConfig): { kernel: Kernel; parent: Mm } {
  let built = cache.built.get(config);
  if (built === undefined) {
    const kernel = new Kernel(config);
    built = { kernel, parent: cache.resolved.build(kernel) };
    cache.built.set(config, built);
  }
  const copy = copyKernel(built.kernel);
  return { kernel: copy.kernel, parent: copy.mm(built.parent) };
}

/**
 * A parent thread faulting on `vma` under its per-VMA lock (lock_vma_under_rcu), falling back to the
 * mmap lock when a writer holds the VMA: the reader 7.0's vma_start_write_killable must wait for.
 */
function* vmaReader(parent: Mm, vma: Vma): Task {
  const fn = 'parent thread: handle_mm_fault';
  if (yield trylock(vmaLockId(vma), 'read', `${fn}: lock_vma_under_rcu(${vma.toString()})`)) {
    yield read(fieldId(vma.name, 'pages'), `${fn}: read fault on ${vma.toString()}`);
    yield unlock(vmaLockId(vma), 'read', `${fn}: vma_end_read`);
    return;
  }
  yield mmapReadLock(parent, fn);
  yield read(fieldId(vma.name, 'pages'), `${fn}: read fault on ${vma.toString()} under mmap_lock`);
  yield mmapReadUnlock(parent, fn);
}

/** What vmaReader touches: the VMA's lock and pages, and the parent's mmap_lock. */
function vmaReaderFootprint(parent: Mm, vma: Vma): Footprint {
  const own = [vmaLockId(vma), `${vma.name}.pages`, parent.lockId];
  return { touches: (s) => own.includes(s) };
}

/** The parent's VMAs in the order the fork's loop visits them. */
function parentVmas(parent: Mm): Vma[] {
  const out: Vma[] = [];
  parent.mmMt.forEach((slot) => {
    out.push(slot as Vma);
  });
  return out;
}

export function buildScenario(options: ScenarioOptions): ScenarioWorld {
  scenarioOptionsArg('buildScenario', options);
  const world = scenarioWorld(options);
  registerWorld(world);
  return world;
}

/**
 * buildScenario for options that have been through it once already (the fork-exit model builds
 * each variant's world from the same options at every execution of a search): without checking
 * them again, and without registering the world for scripts (a model's worlds never reach one).
 */
export function rebuildScenario(options: ScenarioOptions): ScenarioWorld {
  return scenarioWorld(options);
}

function scenarioWorld(options: ScenarioOptions): ScenarioWorld {
  const config = typeof options.kernel === 'string' ? kernelConfig(options.kernel) : options.kernel;
  const walkers = options.walkers ?? [];
  const cache = parentCache(options.parent);
  const resolved = cache.resolved;
  const afterFork = options.parent?.afterFork === undefined ? null : parentAfterForkArg('buildScenario', options.parent.afterFork);
  if (afterFork === 'exit' && (walkers.includes('uffd') || walkers.includes('uffd-withdraw'))) {
    throw new RangeError('buildScenario: a parent that exits cannot run with the uffd walkers (the monitor\'s context would outlive its mm)');
  }
  const { kernel, parent } = parentWorld(cache, config);
  // The parent may free the VMAs a failed child's tree still holds: a live read of one is reported
  // when the parent is done (below), so the run goes on to the orders where it frees them first.
  kernel.deferForeignVma = afterFork !== null;
  if ((walkers.includes('uffd') || walkers.includes('uffd-withdraw')) && resolved.uffd) {
    // The monitor registered the range with UFFD_FEATURE_EVENT_FORK; the context holds an mm_count.
    const ctx = new UffdCtx(kernel, parent, true);
    parent.mmgrab();
    const { start, end } = resolved.uffd;
    parent.mmMt.forEach((slot) => {
      const vma = slot as Vma;
      if (vma.vmStart < end && vma.vmEnd > start) vma.uffdCtx = ctx;
    });
  }
  // For the scanners' columns the parent has madvised MADV_MERGEABLE / MADV_HUGEPAGE: it is on
  // their lists (MMF_VM_MERGEABLE / MMF_VM_HUGEPAGE), each slot holding an mm_count reference.
  // The careless walker reaches mms through KSM's list too.
  if (walkers.includes('ksmd') || walkers.includes('careless')) registerWithScanner(parent, 'ksmd');
  if (walkers.includes('khugepaged')) registerWithScanner(parent, 'khugepaged');
  // The OOM killer chose the forking parent (mark_oom_victim: tsk->mm, pinned with mmgrab); its
  // SIGKILL is the fatal signal the fork loop sees.
  if (walkers.includes('oom-reaper')) {
    parent.mmgrab();
    kernel.oomVictims.push(parent);
  }
  const signalAtVma = options.signalAtVma ?? null;
  const forkOptions: ForkOptions = { signalAtVma };
  const childExits = options.childExits ?? true;
  const fork: ScenarioWorld['fork'] = { child: null, outcome: {}, done: false, taskMm: null };
  const tasks: TaskSpec[] = [{
    name: 'fork', run: () => forkTask(kernel, parent, forkOptions, fork, childExits, afterFork !== null),
    ...(options.forkFootprint === false ? {} : { footprint: FORK_FOOTPRINT }),
  }];
  // 7.0: the signal can fail the fork only while a parent thread holds the VMA the loop has reached.
  if (config.vmaStartWriteKillable && signalAtVma !== null) {
    const target = parentVmas(parent)[signalAtVma];
    if (target) tasks.push({ name: 'parent thread', run: () => vmaReader(parent, target), optional: true, footprint: vmaReaderFootprint(parent, target) });
  }
  for (const walker of walkers) {
    const task = walkerTask(walker, walkers, kernel, resolved, fork, parent, afterFork === 'exit');
    if (task) tasks.push({ name: walker === 'uffd-withdraw' ? 'uffd' : WALKER_TASK[walker], ...task });
  }
  if (afterFork) {
    tasks.push({ name: 'parent', run: () => parentTask(kernel, parent, fork, afterFork) });
  }
  const world: ScenarioWorld = {
    kernel, parent, tasks, fork,
    finalCheck() {
      if (kernel.foreignVmaRead !== null) return `foreign-vma: ${kernel.foreignVmaRead}`;
      const survivors = parent.freed ? [] : [parent];
      if (fork.child && !childExits) survivors.push(fork.child);
      const problems = findLeaks(kernel, survivors);
      return problems.length === 0 ? null : `leak check: ${problems.join('; ')}`;
    },
    stateKey() {
      const o = fork.outcome.value;
      return `${fork.child ? 'forked' : `failed@${o?.failedAt ?? 'dup_mm'}`}|swap ${kernel.swap.used}|anon ${kernel.anonPages}|parent rss ${parent.pt.anonPages}/${parent.pt.swapEntries}`;
    },
  };
  return world;
}

/**
 * copy_process's share of the fork: dup_mm, then the child's exit (or the fork's own cleanup when a
 * fatal signal fails a complete copy). A module-level generator, not a closure per world: V8 gives
 * every generator function object its own map, made in the old generation on the first call, and
 * that map leads back to the closure and the world it captures, so each execution's world would
 * outlive its execution until the next full GC (a fifth of the study's time in scavenges).
 */
function* forkTask(kernel: Kernel, parent: Mm, forkOptions: ForkOptions, fork: ScenarioWorld['fork'], childExits: boolean, returns: boolean): Task<unknown> {
  const child = yield* dupMm(kernel, parent, forkOptions, fork.outcome);
  fork.child = child;
  // copy_process: "Let kill terminate clone/fork in the middle" fails a complete fork too.
  const killed = child !== null && fork.outcome.value?.signalPending === true;
  if (killed) yield* mmput(child, 'copy_process: fatal_signal_pending → bad_fork_cleanup_mm');
  else if (child) {
    // Past "No more failure paths": attach_pid publishes the task, whose tsk->mm is the child.
    fork.taskMm = child;
    if (childExits) {
      fork.taskMm = null;
      yield* mmput(child, 'child exit_mm');
    }
  }
  // The parent actor waits for this write: fork has returned to the parent.
  if (returns) yield write('fork', 'copy_process returns to the parent');
  fork.done = true;
  return killed ? 'killed' : child ? 'forked' : 'failed';
}

/** The parent after fork() returns (a module-level generator, as forkTask). */
function* parentTask(kernel: Kernel, parent: Mm, fork: ScenarioWorld['fork'], afterFork: ParentAfterFork): Task<unknown> {
  yield waitUntil('fork', () => fork.done, 'parent: fork() returns');
  const result = yield* parentAfterFork(parent, afterFork);
  if (kernel.foreignVmaRead !== null) throw new ModelViolation('foreign-vma', kernel.foreignVmaRead);
  return result;
}

/** The fork task's footprint: one for every world (it depends on nothing of one). */
const FORK_FOOTPRINT = forkFootprint();

function registerWithScanner(parent: Mm, scanner: 'ksmd' | 'khugepaged'): void {
  const list = scanner === 'ksmd' ? parent.kernel.ksm : parent.kernel.khugepaged;
  parent.mmgrab();
  list.mms.push(parent);
  list.setRegistered(parent, true);
}

/** A walker's task and its footprint (walkers/footprint.ts); null for uffd-withdraw beside uffd (one monitor). */
function walkerTask(walker: WalkerName, walkers: readonly WalkerName[], kernel: Kernel, parent: ResolvedParent, fork: ScenarioWorld['fork'], parentMm: Mm, parentExits: boolean): { run: () => Task<unknown>; footprint: Footprint } | null {
  const who = WALKER_TASK[walker];
  // A parent that exits may be torn down by a walker's mmput, under its own mmap_lock.
  const parentLock = parentExits ? null : parentMm.lockId;
  const footprint = walkerFootprint({ parentLock });
  switch (walker) {
    case 'swapoff': return { run: () => tryToUnuse(kernel, who), footprint };
    case 'uprobe': {
      const probe = parent.uprobe;
      const file = probe ? kernel.files.get(probe.path) : undefined;
      if (!probe || !file) throw new RangeError(`the uprobe target ${probe?.path ?? '(none)'} is not mapped by the parent`);
      return { run: () => registerForEachVma(kernel, file, probe.offset, who), footprint: uprobeFootprint(parentLock, file.mapping.lockId) };
    }
    case 'oom-reaper': return { run: () => oomReaper(kernel, () => fork.done, 2, who), footprint };
    case 'uffd': return { run: () => uffdMonitor(kernel, () => fork.done, who), footprint };
    case 'uffd-withdraw': return walkers.includes('uffd') ? null : { run: () => uffdMonitor(kernel, () => fork.done, 'uffd'), footprint };
    case 'ksmd': return { run: () => ksmdScan(kernel, who), footprint: scannerFootprint(parentLock) };
    case 'khugepaged': return { run: () => khugepagedScan(kernel, who), footprint: scannerFootprint(parentLock) };
    case 'reclaim': {
      const folio = firstAnonFolio(parentMm);
      if (!folio) throw new RangeError('reclaim: the parent has no resident anonymous page');
      return { run: () => pageTableRmapWalk(who, tryToUnmap(folio, who)), footprint: reclaimFootprint(parentLock) };
    }
    case 'task-lookup': return { run: () => procPidMaps(() => fork.taskMm, who), footprint };
    case 'careless': return { run: () => carelessWalker(kernel, who), footprint };
  }
}
