/**
 * The merge decision of mm/vma.c, in one place for every caller (mmap_region, vma_modify_flags,
 * do_brk_flags): is_mergeable_vma with is_mergeable_anon_vma and the offset rule (canMerge), and
 * which neighbours a proposed range joins (can_vma_merge_left / can_vma_merge_right).
 */
import { indexArg, vmaViewArg } from './args.js';
import { PAGE_SIZE, VM_IGNORE_MERGE } from './constants.js';
import type { MemPolicy, Vma } from './vma.js';

/** The fields the merge rules compare: a Vma, or a view of the VMA a change would make. */
export interface VmaMergeFields {
  readonly vmFlags: number;
  readonly vmFile: unknown;
  readonly policy: MemPolicy | null;
  readonly uffdCtx: unknown;
  readonly vmPgoff: number;
  readonly anonName: string | null;
  readonly anonVma: unknown;
}

/**
 * struct vma_merge_struct as the decision reads it: the proposed VMA over [vmStart, vmEnd) with
 * the flags, file, offset and attributes it would have.
 */
export interface VmaMergeProposal extends VmaMergeFields {
  readonly vmStart: number;
  readonly vmEnd: number;
}

/** is_mergeable_vma plus the anon_vma and offset rules: could `a` (below) and `b` (above) be one VMA? */
export function canMerge(a: VmaMergeFields & { readonly vmEnd: number }, b: VmaMergeFields & { readonly vmStart: number }, aPages: number): boolean {
  vmaViewArg('canMerge', 'a', a, 'vmEnd');
  vmaViewArg('canMerge', 'b', b, 'vmStart');
  indexArg('canMerge', 'aPages', aPages);
  if (a.vmEnd !== b.vmStart) return false;
  if ((a.vmFlags & ~VM_IGNORE_MERGE) !== (b.vmFlags & ~VM_IGNORE_MERGE)) return false;
  if (a.vmFile !== b.vmFile || a.uffdCtx !== b.uffdCtx || a.anonName !== b.anonName) return false;
  if ((a.policy?.mode ?? null) !== (b.policy?.mode ?? null)) return false;
  // is_mergeable_anon_vma: the same anon_vma, or one side has none yet.
  if (a.anonVma !== null && b.anonVma !== null && a.anonVma !== b.anonVma) return false;
  // File (and anonymous) offsets must continue.
  if (b.vmPgoff !== a.vmPgoff + aPages) return false;
  const file = a.vmFile as { vmOps: { name: string } | null } | null;
  return !(file?.vmOps);
}

/** The neighbours a proposed range merges with; both set means prev absorbs the range and next. */
export interface VmaMergeTargets<V extends VmaMergeProposal = Vma> {
  readonly prev: V | null;
  readonly next: V | null;
}

/**
 * can_vma_merge_left and can_vma_merge_right: which of `prev` and `next` the proposal joins. The
 * callers plan before they split, so each neighbour is compared as it will be once the proposed
 * range is cleared: `prev` may still reach past vmStart and `next` start below vmEnd (their parts
 * outside the range are what stays). Both merging needs prev's and next's anon_vmas to agree too,
 * else only prev merges; `justExpand` (do_brk_flags) tries prev alone.
 */
export function vmaMergeTargets<V extends VmaMergeProposal = Vma>(vmg: VmaMergeProposal, prev: V | null, next: V | null, justExpand = false): VmaMergeTargets<V> {
  const left = prev !== null && prev.vmStart < vmg.vmStart && prev.vmEnd >= vmg.vmStart &&
    canMerge({ ...fieldsOf(prev), vmEnd: vmg.vmStart }, vmg, (vmg.vmStart - prev.vmStart) / PAGE_SIZE) ? prev : null;
  if (justExpand || next === null || next.vmStart > vmg.vmEnd || next.vmEnd <= vmg.vmEnd) return { prev: left, next: null };
  const nextPart = { ...fieldsOf(next), vmStart: vmg.vmEnd, vmPgoff: next.vmPgoff + (vmg.vmEnd - next.vmStart) / PAGE_SIZE };
  if (!canMerge(vmg, nextPart, (vmg.vmEnd - vmg.vmStart) / PAGE_SIZE)) return { prev: left, next: null };
  const agree = left === null || left.anonVma === null || next.anonVma === null || left.anonVma === next.anonVma;
  return { prev: left, next: agree ? next : null };
}

function fieldsOf(vma: VmaMergeFields): VmaMergeFields {
  return {
    vmFlags: vma.vmFlags, vmFile: vma.vmFile, policy: vma.policy, uffdCtx: vma.uffdCtx, vmPgoff: vma.vmPgoff,
    anonName: vma.anonName, anonVma: vma.anonVma,
  };
}
