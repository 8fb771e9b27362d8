/**
 * The walkers of the study by name: the columns, the actors that only join sets, and what each
 * races. A leaf module, so the study's argument checks (args.ts) know the names without the scenario.
 */

/**
 * The actors that can reach a half-built child. `uffd` and `uffd-withdraw` are the same actors — a
 * userfaultfd monitor reading fork events — split by the failure that opens each door: an ENOMEM
 * failure lets the monitor read the child's fork event; a fatal signal withdraws the event, and the
 * withdrawal walks the child's tree in the forking task (userfaultfd_release_new).
 */
export type WalkerName = 'swapoff' | 'uprobe' | 'oom-reaper' | 'uffd' | 'uffd-withdraw' | 'ksmd' | 'khugepaged' | 'reclaim' | 'task-lookup' | 'careless';
/** The study's columns: the walkers that reach an mm through a list, a file or an event. */
export const WALKER_NAMES: readonly WalkerName[] = ['swapoff', 'uprobe', 'oom-reaper', 'uffd', 'uffd-withdraw', 'ksmd', 'khugepaged'];
/**
 * Actors that join walker sets but are no column of their own: reclaim (try_to_unmap over anon
 * rmap, never a tree walk: it opens swapoff's door wider) and the task-lookup walkers (procfs,
 * ptrace, process_madvise, … — docs/walkers.md), whose door a failed fork never opens.
 */
export const EXTRA_WALKERS: readonly WalkerName[] = ['reclaim', 'task-lookup'];
/** Walkers that are no kernel's code, for the designs study (mm/walkers/careless.ts). */
export const DESIGN_WALKERS: readonly WalkerName[] = ['careless'];
export const ALL_WALKERS: readonly WalkerName[] = [...WALKER_NAMES, ...EXTRA_WALKERS, ...DESIGN_WALKERS];

/** The name each walker's reach is recorded under (its task's name, where it has one). */
export const WALKER_TASK: Readonly<Record<WalkerName, string>> = {
  swapoff: 'swapoff', uprobe: 'uprobe', 'oom-reaper': 'oom_reaper', uffd: 'uffd', 'uffd-withdraw': 'uffd-withdraw', ksmd: 'ksmd', khugepaged: 'khugepaged',
  reclaim: 'reclaim', 'task-lookup': 'task-lookup', careless: 'careless',
};

/** The failures each walker's cell tries: every kind, only allocation failures, or only signals. */
export const WALKER_FAILURES: Readonly<Record<WalkerName, 'all' | 'alloc' | 'signal'>> = {
  swapoff: 'all', uprobe: 'all', 'oom-reaper': 'all', uffd: 'alloc', 'uffd-withdraw': 'signal', ksmd: 'all', khugepaged: 'all',
  reclaim: 'all', 'task-lookup': 'all', careless: 'all',
};
