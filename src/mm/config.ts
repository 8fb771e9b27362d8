/**
 * Which kernel the model runs: the dup_mmap failure recovery and the fixes around it, each with the
 * commit that introduced it, so a run can model any kernel from 6.8 to 7.0.
 */
import { stringArg } from './args.js';
export type Recovery = 'xa-zero' | 'teardown';

export interface KernelConfig {
  /** 'xa-zero': d24062914837 (v6.8) … 6.18; 'teardown': "mm: change dup_mmap() recovery" (7.0). */
  readonly recovery: Recovery;
  /** Oct 2024, "fork: do not invoke uffd on fork if error occurs": dup_userfaultfd_fail on error. */
  readonly uffdFailOnError: boolean;
  /** Dec 2024, 8ac662f5da19: dup_mmap_sem taken in dup_mm and released only after mmput. */
  readonly uprobeSemInDupMm: boolean;
  /** Jan 2025, 64c37e134b12: a failed dup_mmap sets MMF_OOM_SKIP (marker written) and MMF_UNSTABLE. */
  readonly failureFlags: boolean;
  /** Jan 2025, 64c37e134b12: register_for_each_vma skips an mm that check_stable_address_space rejects. */
  readonly uprobeStableCheck: boolean;
  /** Sep 2025, Charan Teja Kalla's hotfix: unuse_mm skips an unstable mm. */
  readonly swapoffStableCheck: boolean;
  /**
   * What unuse_mm does on meeting XA_ZERO_ENTRY: nothing (it is read as a VMA), 'break' (Charan's
   * first patch, Aug 2025) or 'continue' (a hypothetical walker that skips it and so goes on into
   * the parent's VMAs beyond the marker).
   */
  readonly swapoffZeroCheck?: 'break' | 'continue';
}

const NO_FIXES = {
  uffdFailOnError: false, uprobeSemInDupMm: false, failureFlags: false, uprobeStableCheck: false, swapoffStableCheck: false,
} as const;
const ALL_FIXES = {
  uffdFailOnError: true, uprobeSemInDupMm: true, failureFlags: true, uprobeStableCheck: true, swapoffStableCheck: true,
} as const;

/** Named kernels: the three the study reports on, and one per individual fix. */
export const KERNELS = {
  /** XA_ZERO recovery as first merged (Oct 2023, ~v6.8): no fix of any reader. */
  'xa-zero-prefix': { recovery: 'xa-zero', ...NO_FIXES },
  'xa-zero+uffd-fix': { recovery: 'xa-zero', ...NO_FIXES, uffdFailOnError: true },
  'xa-zero+uprobe-sem-fix': { recovery: 'xa-zero', ...NO_FIXES, uprobeSemInDupMm: true },
  'xa-zero+flags': { recovery: 'xa-zero', ...NO_FIXES, failureFlags: true, uprobeStableCheck: true },
  /** The swapoff hotfix alone: it tests MMF_UNSTABLE, which nothing sets without the Jan 2025 flags. */
  'xa-zero+swapoff-hotfix': { recovery: 'xa-zero', ...NO_FIXES, swapoffStableCheck: true },
  /** The swapoff hotfix as it shipped, on top of the Jan 2025 flags. */
  'xa-zero+flags+swapoff-hotfix': { recovery: 'xa-zero', ...NO_FIXES, failureFlags: true, uprobeStableCheck: true, swapoffStableCheck: true },
  /** Charan's first patch: unuse_mm stops at the marker. */
  'xa-zero+swapoff-zero-break': { recovery: 'xa-zero', ...NO_FIXES, swapoffZeroCheck: 'break' },
  /** A walker that steps over the marker reaches VMAs of the parent: why the first patch breaks. */
  'xa-zero+swapoff-zero-continue': { recovery: 'xa-zero', ...NO_FIXES, swapoffZeroCheck: 'continue' },
  /** 6.18: XA_ZERO recovery with every reader fix. */
  'xa-zero-fixed': { recovery: 'xa-zero', ...ALL_FIXES },
  /** 7.0: the partial tree is torn down before the locks drop. */
  'teardown': { recovery: 'teardown', ...ALL_FIXES },
} as const satisfies Record<string, KernelConfig>;

export type KernelName = keyof typeof KERNELS;
export const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

export function kernelConfig(name: string): KernelConfig {
  stringArg('kernelConfig', 'name', name);
  const config = (KERNELS as Record<string, KernelConfig>)[name];
  if (!config) throw new RangeError(`unknown kernel configuration ${JSON.stringify(name)}; known: ${KERNEL_NAMES.join(', ')}`);
  return config;
}
