/**
 * The study's expected table for the real kernels at preemption bound 1, one row per configuration,
 * with the commit that justifies each cell. B: a bug (the oops address for that kernel's layout);
 * U: unreachable (the walker never got hold of the failed child); V: verified.
 */
import type { WalkerName } from '../../src/study/scenario.js';

export type Expected = 'V' | 'U' | `B ${string}`;

/** Columns: swapoff, uprobe, oom-reaper, uffd, uffd-withdraw, ksmd, khugepaged. */
export const EXPECTED_ROWS: Readonly<Record<string, readonly Expected[]>> = {
  // d24062914837 (v6.8): the marker, no reader fix; anon_vma at 0x70; ksm/khugepaged registered
  // before __mt_dup; dup_userfaultfd_complete on failure. The OOM reaper never sees a failed child
  // (copy_mm sets tsk->mm only after dup_mm succeeds).
  '6.8.0-6.8.7': ['B 0x476', 'B 0x406', 'U', 'B 0x426', 'B 0x4be', 'B 0x426', 'B 0x426'],
  // 35e351780fa9 (v6.9, 6.8.8): the loop order changes, no verdict does.
  '6.8.8-6.9': ['B 0x476', 'B 0x406', 'U', 'B 0x426', 'B 0x4be', 'B 0x426', 'B 0x426'],
  // The v6.10 layout (anon_vma at 0x68): swapoff's oops moves to 0x46e, the withdrawal's to 0x4b6.
  '6.10-6.11.6': ['B 0x46e', 'B 0x406', 'U', 'B 0x426', 'B 0x4b6', 'B 0x426', 'B 0x426'],
  // 985da552a98e + f64e67e5d3a4 (v6.12, 6.11.7): the scanners and userfaultfd see only a complete child.
  '6.11.7-6.12.7': ['B 0x46e', 'B 0x406', 'U', 'U', 'U', 'U', 'U'],
  // 8ac662f5da19 (v6.13, 6.12.8): dup_mmap_sem held until dup_mm's mmput closes the uprobe door.
  '6.12.8-6.12.50': ['B 0x46e', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 4e5f060d7347 (6.12.51): the swapoff hotfix tests MMF_UNSTABLE, which nothing sets yet here.
  '6.12.51-6.12.82': ['B 0x46e', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 74c2471eb891 (64c37e134b12 in 6.12.83): the flags arrive, and the hotfix works.
  '6.12.83+': ['V', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 64c37e134b12 (v6.14, 6.13.2) without the hotfix: swapoff still crashes.
  '6.13.2-6.14': ['B 0x46e', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 6bef4c2f9722 (v6.15): anon_vma at 0x40, the 0x446 of Charan's report.
  '6.15-6.17.0': ['B 0x446', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 1367da7eb875 (v6.18; 6.17.1, 6.16.11): the hotfix with its flags.
  '6.17.1+': ['V', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 6.18: the reaper walks in reverse; still never reaches a failed child.
  '6.18': ['V', 'U', 'U', 'U', 'U', 'U', 'U'],
  // 43873af772f8 (v7.0): teardown before unlock; swapoff still reaches the (empty, unstable) child.
  '7.0': ['V', 'U', 'U', 'U', 'U', 'U', 'U'],
};

export const EXPECTED_COLUMNS: readonly WalkerName[] = ['swapoff', 'uprobe', 'oom-reaper', 'uffd', 'uffd-withdraw', 'ksmd', 'khugepaged'];
