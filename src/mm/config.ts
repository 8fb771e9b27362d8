/**
 * Which kernel the model runs. A configuration is a set of facts about one range of real releases —
 * the dup_mmap failure recovery, the loop's order, where the ksm/khugepaged hooks run, how the
 * loop sees a fatal signal, the reader fixes, the OOM reaper's direction and the vm_area_struct
 * layout behind an oops address — each with the commit that set it (docs/kernels.md has the
 * evidence). The counterfactual rows change one fact of a real kernel, to show what that fact did.
 */
import { stringArg } from './args.js';

export type Recovery = 'xa-zero' | 'teardown' | 'partial';

/**
 * Jann Horn's partial teardown (RFC review, Aug 2025), never merged: clear only the entries not yet
 * copied and keep a valid child-only mm. What happens when the clearing store cannot get its nodes.
 */
export type PartialFallback = 'teardown' | 'xa-zero';

/** A global, mutex-protected reserve of maple nodes that the clearing store takes instead of allocating. */
export interface NodeReserveConfig {
  readonly nodes: number;
  /** The clearing store runs in RCU mode, and the reserve is refilled only after synchronize_rcu(). */
  readonly rcu: boolean;
}

/** The thread's "fewer than 64 nodes". */
export const DEFAULT_RESERVE_NODES = 63;

/** vm_area_struct field offsets (x86_64, CONFIG_PER_VMA_LOCK=y, no RANDSTRUCT). */
export interface VmaLayout {
  readonly name: string;
  readonly anon_vma: number;
  /**
   * vm_userfaultfd_ctx, computed from the struct with ANON_VMA_NAME, SWAP, NUMA and NUMA_BALANCING
   * all enabled (it moves with those options); not checked against a build.
   */
  readonly vm_userfaultfd_ctx: number;
}

/** vm_lock_seq, vm_lock, detached before shared.rb: 6.8 and 6.9. */
export const LAYOUT_6_8: VmaLayout = { name: '6.8', anon_vma: 0x70, vm_userfaultfd_ctx: 0xb8 };
/** detached moved before vm_lock_seq (David Hildenbrand, Mar 2024): 6.10 to 6.14. */
export const LAYOUT_6_10: VmaLayout = { name: '6.10', anon_vma: 0x68, vm_userfaultfd_ctx: 0xb0 };
/** The per-VMA lock inside the struct as a refcount, `shared` moved to the end (6bef4c2f9722, v6.15). */
export const LAYOUT_6_15: VmaLayout = { name: '6.15', anon_vma: 0x40, vm_userfaultfd_ctx: 0x88 };

export interface KernelConfig {
  /** 'xa-zero': d24062914837 (v6.8) … 6.18; 'teardown': 43873af772f8 "mm: change dup_mmap() recovery" (v7.0). */
  readonly recovery: Recovery;
  /**
   * The copy loop's order after anon_vma_fork: before 35e351780fa9 (v6.9, 6.8.8) the file link came
   * before the tree store and copy_page_range before ->open; after it, store, ->open, file link, copy.
   */
  readonly loopOrder: 'link-file-first' | 'store-first';
  /** Before 985da552a98e (v6.12, 6.11.7): ksm_fork/khugepaged_fork ran before __mt_dup. */
  readonly ksmKhugepagedEarly: boolean;
  /** f64e67e5d3a4 (v6.12, 6.11.7): dup_userfaultfd_fail on error instead of dup_userfaultfd_complete. */
  readonly uffdFailOnError: boolean;
  /** 8ac662f5da19 (v6.13, 6.12.8): dup_mmap_sem taken in dup_mm and released only after mmput. */
  readonly uprobeSemInDupMm: boolean;
  /** 64c37e134b12 (v6.14, 6.13.2, 6.12.83): a failed dup_mmap sets MMF_OOM_SKIP (marker written) and MMF_UNSTABLE. */
  readonly failureFlags: boolean;
  /** 64c37e134b12: register_for_each_vma skips an mm that check_stable_address_space rejects. */
  readonly uprobeStableCheck: boolean;
  /** 1367da7eb875 (v6.18; 6.17.1, 6.16.11, 6.12.51), CVE-2025-39992: unuse_mm skips an unstable mm. */
  readonly swapoffStableCheck: boolean;
  /**
   * What unuse_mm does on meeting XA_ZERO_ENTRY: nothing (it is read as a VMA), 'break' (Charan's
   * first patch, Aug 2025, never merged) or 'continue' (a hypothetical walker that skips it and so
   * goes on into the parent's VMAs beyond the marker).
   */
  readonly swapoffZeroCheck?: 'break' | 'continue';
  /** v6.18: __oom_reap_task_mm walks the tree from the top (mas_for_each_rev). */
  readonly oomReapReverse: boolean;
  /**
   * v7.0: the loop write-locks each VMA with vma_start_write_killable, which fails only when it must
   * wait for per-VMA-lock readers while a fatal signal is pending; no fatal_signal_pending in the loop.
   */
  readonly vmaStartWriteKillable: boolean;
  readonly layout: VmaLayout;
  /** With recovery 'partial': the recovery used when the clearing store fails (ENOMEM). */
  readonly partialFallback?: PartialFallback;
  /** With recovery 'partial': the clearing store takes its nodes from this global reserve. */
  readonly nodeReserve?: NodeReserveConfig;
}

/** Whether a failed dup_mmap may leave XA_ZERO_ENTRY in the tree, so exit paths must stop there. */
export function leavesZeroMarker(config: KernelConfig): boolean {
  return config.recovery === 'xa-zero' || (config.recovery === 'partial' && config.partialFallback === 'xa-zero');
}

/** One row of the study: a range of releases and the facts that hold for all of it. */
export interface KernelRelease {
  readonly name: string;
  /** The releases, in words. */
  readonly releases: string;
  readonly config: KernelConfig;
  /** The commits that make this row differ from the one before, with the release that first had each. */
  readonly commits: readonly string[];
  /** Counterfactual rows are no real kernel: one fact of a real row changed. */
  readonly counterfactual: boolean;
  /** Design rows (designs.ts) are recoveries proposed in review, run on one base kernel. */
  readonly design?: boolean;
  readonly note: string;
}

const V6_8: KernelConfig = {
  recovery: 'xa-zero', loopOrder: 'link-file-first', ksmKhugepagedEarly: true, uffdFailOnError: false,
  uprobeSemInDupMm: false, failureFlags: false, uprobeStableCheck: false, swapoffStableCheck: false,
  oomReapReverse: false, vmaStartWriteKillable: false, layout: LAYOUT_6_8,
};
const V6_8_8: KernelConfig = { ...V6_8, loopOrder: 'store-first' };
const V6_10: KernelConfig = { ...V6_8_8, layout: LAYOUT_6_10 };
const V6_11_7: KernelConfig = { ...V6_10, ksmKhugepagedEarly: false, uffdFailOnError: true };
const V6_12_8: KernelConfig = { ...V6_11_7, uprobeSemInDupMm: true };
const V6_12_51: KernelConfig = { ...V6_12_8, swapoffStableCheck: true };
const V6_12_83: KernelConfig = { ...V6_12_51, failureFlags: true, uprobeStableCheck: true };
const V6_13_2: KernelConfig = { ...V6_12_8, failureFlags: true, uprobeStableCheck: true };
const V6_15: KernelConfig = { ...V6_13_2, layout: LAYOUT_6_15 };
const V6_17_1: KernelConfig = { ...V6_15, swapoffStableCheck: true };
const V6_18: KernelConfig = { ...V6_17_1, oomReapReverse: true };
const V7_0: KernelConfig = { ...V6_18, recovery: 'teardown', vmaStartWriteKillable: true };

/** The real kernels, oldest first (docs/kernels.md: the evidence for every boundary). */
export const REAL_KERNELS: readonly KernelRelease[] = [
  { name: '6.8.0-6.8.7', releases: '6.8.0 … 6.8.7', config: V6_8, counterfactual: false,
    commits: ['d24062914837 fork: use __mt_dup() to duplicate maple tree in dup_mmap() (v6.8)'],
    note: 'the XA_ZERO recovery as first merged: no reader fix; the old loop order; ksm/khugepaged registered before the copy' },
  { name: '6.8.8-6.9', releases: '6.8.8 … 6.8.12, 6.9.x', config: V6_8_8, counterfactual: false,
    commits: ['35e351780fa9 fork: defer linking file vma until vma is fully initialized (v6.9; 6.8.8)'],
    note: 'the loop order of every later kernel' },
  { name: '6.10-6.11.6', releases: '6.10.x, 6.11.0 … 6.11.6', config: V6_10, counterfactual: false,
    commits: ['mm: optimize CONFIG_PER_VMA_LOCK member placement in vm_area_struct (v6.10; id not pinned)'],
    note: 'anon_vma at 0x68 (oops 0x46e)' },
  { name: '6.11.7-6.12.7', releases: '6.11.7 … 6.11.11, 6.12.0 … 6.12.7', config: V6_11_7, counterfactual: false,
    commits: ['985da552a98e fork: only invoke khugepaged, ksm hooks if no error (v6.12; 6.11.7)',
      'f64e67e5d3a4 fork: do not invoke uffd on fork if error occurs (v6.12; 6.11.7)'],
    note: 'ksm/khugepaged and userfaultfd see only a complete child' },
  { name: '6.12.8-6.12.50', releases: '6.12.8 … 6.12.50, 6.13.0, 6.13.1', config: V6_12_8, counterfactual: false,
    commits: ['8ac662f5da19 fork: avoid inappropriate uprobe access to invalid mm (v6.13; 6.12.8)'],
    note: 'dup_mmap_sem held until dup_mm\'s mmput' },
  { name: '6.12.51-6.12.82', releases: '6.12.51 … 6.12.82 (6 Oct 2025 – 22 Apr 2026)', config: V6_12_51, counterfactual: false,
    commits: ['4e5f060d7347 (1367da7eb875 upstream) mm: swap: check for stable address space before operating on the VMA (6.12.51)'],
    note: 'the 6.12 LTS window: the swapoff hotfix tests MMF_UNSTABLE, which nothing sets here' },
  { name: '6.12.83+', releases: '6.12.83 and later 6.12.y', config: V6_12_83, counterfactual: false,
    commits: ['74c2471eb891 (64c37e134b12 upstream) kernel: be more careful about dup_mmap() failures and uprobe registering (6.12.83)'],
    note: 'the flags the hotfix tests, backported' },
  { name: '6.13.2-6.14', releases: '6.13.2 … 6.13.12, 6.14.x', config: V6_13_2, counterfactual: false,
    commits: ['64c37e134b12 kernel: be more careful about dup_mmap() failures and uprobe registering (v6.14; 6.13.2)'],
    note: 'MMF_OOM_SKIP and MMF_UNSTABLE on failure; uprobes check a stable address space; no swapoff hotfix' },
  { name: '6.15-6.17.0', releases: '6.15.x, 6.16.0 … 6.16.10, 6.17.0', config: V6_15, counterfactual: false,
    commits: ['6bef4c2f9722 mm: move lesser used vma_area_struct members into the last cacheline (v6.15)'],
    note: 'anon_vma at 0x40 (oops 0x446, as in Charan\'s report)' },
  { name: '6.17.1+', releases: '6.16.11 … 6.16.y, 6.17.1 … 6.17.y', config: V6_17_1, counterfactual: false,
    commits: ['1367da7eb875 mm: swap: check for stable address space before operating on the VMA (v6.18; 6.17.1, 6.16.11)'],
    note: 'the swapoff hotfix with the flags it tests' },
  { name: '6.18', releases: '6.18.x (6.18.3 read)', config: V6_18, counterfactual: false,
    commits: ['mm/oom_kill: the OOM reaper traverses the VMA maple tree in reverse order (v6.18; id not pinned)'],
    note: 'every reader fix; the OOM reaper walks from the top' },
  { name: '7.0', releases: '7.0.0', config: V7_0, counterfactual: false,
    commits: ['43873af772f8 mm: change dup_mmap() recovery (v7.0)', 'mm: use vma_start_write_killable() in dup_mmap() (v7.0; id not pinned)'],
    note: 'the partial tree is torn down before the locks drop' },
];

/** One fact of a real kernel changed, to isolate what it does. */
export const COUNTERFACTUAL_KERNELS: readonly KernelRelease[] = [
  { name: 'cf:6.11.6+uffd-fix', releases: 'none', config: { ...V6_10, uffdFailOnError: true }, counterfactual: true,
    commits: ['f64e67e5d3a4 without 985da552a98e'], note: 'the userfaultfd fix alone' },
  { name: 'cf:6.11.6+late-hooks', releases: 'none', config: { ...V6_10, ksmKhugepagedEarly: false }, counterfactual: true,
    commits: ['985da552a98e without f64e67e5d3a4'], note: 'the ksm/khugepaged fix alone' },
  { name: 'cf:6.12.7+flags', releases: 'none', config: { ...V6_11_7, failureFlags: true, uprobeStableCheck: true }, counterfactual: true,
    commits: ['64c37e134b12 without 8ac662f5da19'], note: 'the flags and uprobe stability check without the uprobe sem fix' },
  { name: 'cf:6.12.50+zero-break', releases: 'none', config: { ...V6_12_8, swapoffZeroCheck: 'break' }, counterfactual: true,
    commits: ['Charan Teja Kalla\'s first swapoff patch (8 Aug 2025, not merged)'], note: 'unuse_mm stops at the marker' },
  { name: 'cf:6.12.50+zero-continue', releases: 'none', config: { ...V6_12_8, swapoffZeroCheck: 'continue' }, counterfactual: true,
    commits: ['none: a walker that steps over the marker'], note: 'why the first patch breaks rather than continues' },
  { name: 'cf:6.18-teardown', releases: 'none', config: { ...V6_18, recovery: 'teardown' }, counterfactual: true,
    commits: ['43873af772f8 on 6.18, keeping 6.18\'s fatal_signal_pending loop'], note: 'the teardown recovery exercised at every signal point' },
];

export const KERNEL_RELEASES: readonly KernelRelease[] = [...REAL_KERNELS, ...COUNTERFACTUAL_KERNELS];

/**
 * The designs' base: 7.0 without the reader-side fixes (no MMF_UNSTABLE check in swapoff or uprobes,
 * dup_mmap_sem dropped at the end of dup_mmap), so a row shows what its recovery alone leaves for a
 * walker that does not check.
 */
const DESIGN_BASE: KernelConfig = { ...V7_0, uprobeSemInDupMm: false, uprobeStableCheck: false, swapoffStableCheck: false };

function designRow(name: string, config: KernelConfig, note: string, commits: readonly string[]): KernelRelease {
  return { name, releases: 'none', config, counterfactual: true, design: true, commits, note };
}

/** The recoveries argued over in the RFC thread, each on the same base (docs/designs.md). */
export const DESIGN_KERNELS: readonly KernelRelease[] = [
  designRow('design:xa-zero', { ...DESIGN_BASE, recovery: 'xa-zero' }, 'XA_ZERO_ENTRY marks the failure point; exit_mmap stops there', ['d24062914837']),
  designRow('design:teardown', { ...DESIGN_BASE, recovery: 'teardown' }, 'the whole child is torn down before the locks drop', ['43873af772f8']),
  designRow('design:partial-teardown', { ...DESIGN_BASE, recovery: 'partial', partialFallback: 'teardown' },
    'clear [failing VMA, ULONG_MAX] with allocated nodes; full teardown when that store fails', ['Jann Horn, RFC review (Aug 2025)']),
  designRow('design:partial-xa-zero', { ...DESIGN_BASE, recovery: 'partial', partialFallback: 'xa-zero' },
    'clear [failing VMA, ULONG_MAX] with allocated nodes; the XA_ZERO marker when that store fails', ['Jann Horn, RFC review (Aug 2025)']),
  designRow('design:partial+reserve', { ...DESIGN_BASE, recovery: 'partial', partialFallback: 'teardown', nodeReserve: { nodes: DEFAULT_RESERVE_NODES, rcu: false } },
    `the clearing store takes nodes from a global reserve (${DEFAULT_RESERVE_NODES} unless --reserve-nodes) under a mutex; teardown if the reserve is short`, ['Jann Horn, RFC review (Aug 2025)']),
  designRow('design:partial+reserve-rcu', { ...DESIGN_BASE, recovery: 'partial', partialFallback: 'teardown', nodeReserve: { nodes: DEFAULT_RESERVE_NODES, rcu: true } },
    'as partial+reserve with the store in RCU mode; the reserve is refilled after synchronize_rcu()', ['Jann Horn, RFC review (Aug 2025)']),
];

/** Every configuration: the real and counterfactual kernels, then the designs. */
const ALL_RELEASES: readonly KernelRelease[] = [...KERNEL_RELEASES, ...DESIGN_KERNELS];

/** Every configuration by name. */
export const KERNELS: Readonly<Record<string, KernelConfig>> = Object.fromEntries(ALL_RELEASES.map((k) => [k.name, k.config]));
export const KERNEL_NAMES: readonly string[] = ALL_RELEASES.map((k) => k.name);
export type KernelName = string;

/** The newest kernel (7.0): the default wherever a kernel must be chosen. */
export const LATEST_KERNEL = '7.0';

export function kernelRelease(name: string): KernelRelease {
  stringArg('kernelConfig', 'name', name);
  const release = ALL_RELEASES.find((k) => k.name === name);
  if (!release) throw new RangeError(`unknown kernel configuration ${JSON.stringify(name)}; known: ${KERNEL_NAMES.join(', ')}`);
  return release;
}

export function kernelConfig(name: string): KernelConfig {
  return kernelRelease(name).config;
}
