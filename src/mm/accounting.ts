/**
 * The overcommit charge and the reference-counted objects VMAs share: vm_acct_memory /
 * vm_unacct_memory (vm_committed_as and the mm's own share of it) and mpol_put.
 */
import { kfree } from './kasan.js';
import type { Mm } from './mm.js';
import type { MemPolicy } from './vma.js';

/** vm_acct_memory: `pages` charged to vm_committed_as on behalf of `mm`. */
export function vmAcctMemory(mm: Mm, pages: number): void {
  mm.kernel.committed += pages;
  mm.accounted += pages;
}

/** vm_unacct_memory */
export function vmUnacctMemory(mm: Mm, pages: number): void {
  mm.kernel.committed -= pages;
  mm.accounted -= pages;
}

/** mpol_put: the policy is freed with its last reference. */
export function mpolPut(policy: MemPolicy, who: string): void {
  policy.refs--;
  if (policy.refs === 0) kfree(policy, `mpol_put (${who})`);
}
