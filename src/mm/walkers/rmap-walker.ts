/**
 * Page-table-level rmap walkers go from a page or a file to the VMAs mapping it and to their page
 * tables, never from vma->vm_mm to that mm's VMA tree, so none can read XA_ZERO_ENTRY or a VMA a
 * failed fork left in a child's tree. In 6.18.3: huge_pmd_share (mm/hugetlb.c:7556) walks the
 * file's i_mmap and reaches a sharer's page table through hugetlb_walk; unmap_mapping_range
 * (mm/memory.c:4254 → unmap_mapping_range_tree, :4151) zaps every i_mmap VMA in range with
 * zap_page_range_single; lru_gen_look_around (mm/vmscan.c:4229) scans the PTEs around the one its
 * page_vma_mapped_walk holds, inside pvmw->vma. None of the three is modelled; the model's one
 * page-table-level rmap walker is reclaim's try_to_unmap (reclaim.ts), and it is held to this: a
 * step naming a VMA tree or an mmap lock is a violation (model code declares every piece of shared
 * state it touches, so a tree walk cannot hide from this check).
 */
import { ModelViolation, type Op, type Task } from '../../explore/protocol.js';
import { whoArg } from '../args.js';

/** The tree or mmap lock an op names, or null. */
function treeNamed(op: Op): string | null {
  const id = op.kind === 'access' || op.kind === 'wait' ? op.obj : op.kind === 'lock' || op.kind === 'unlock' ? op.lock : null;
  return id !== null && (id.endsWith('.mm_mt') || id.endsWith('.mmap_lock')) ? id : null;
}

/** Runs `walk` as a page-table-level rmap walker: each of its steps is checked before it is taken. */
export function* pageTableRmapWalk<R>(who: string, walk: Task<R>): Task<R> {
  whoArg('pageTableRmapWalk', who);
  for (let next = walk.next(); ;) {
    if (next.done) return next.value;
    const tree = treeNamed(next.value);
    if (tree !== null) {
      throw new ModelViolation('rmap-tree-walk', `${who}: a page-table-level rmap walker reached ${tree} (${next.value.label})`);
    }
    next = walk.next(yield next.value);
  }
}
