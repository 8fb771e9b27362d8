/**
 * Jann Horn's partial teardown (RFC review of "Remove XA_ZERO from error recovery of dup_mmap()",
 * Aug 2025; never merged): when dup_mmap fails, remove from the child's tree only the entries not
 * yet copied — [failing VMA start, ULONG_MAX], which still point at the parent's VMAs — with one
 * vma_iter_clear_gfp, and keep a valid child-only mm that dup_mm's mmput tears down like any other.
 * That store may need nodes and so may fail with ENOMEM; the configuration says what happens then
 * (full teardown, or the XA_ZERO marker), and whether the nodes come from a global reserve.
 */
import { alloc, check, lock, read, step, unlock, write, type Task } from '../explore/protocol.js';
import { MAX_INDEX } from '../tree/constants.js';
import type { MapleTree } from '../tree/tree.js';
import { MMF_UNSTABLE } from './constants.js';
import { NODE_RESERVE_MUTEX } from './locks.js';
import type { Mm } from './mm.js';
import { nodeReserve } from './node-reserve.js';
import { recoverTeardown } from './recovery-teardown.js';
import { recoverXaZero } from './recovery-xa-zero.js';
import { validateMm } from './validate.js';
import { Vma } from './vma.js';
import { vmaIter, vmaNext } from './vma-iter.js';
import { fieldId } from './names.js';

/** The allocation site of the clearing store's nodes, for fault plans. */
export const CLEAR_SITE = 'vma_iter_clear_gfp (partial)';
/** The allocation site of the reserve's refill. */
export const REFILL_SITE = 'maple_node_reserve_refill';

/**
 * The nodes the clearing store over [start, ULONG_MAX] needs in `tree` as it is now: the tree's own
 * mas_preallocate count (mas_prealloc_calc for that store), in RCU mode or not.
 */
export function clearingStoreNodes(tree: MapleTree, start: number, rcu: boolean): number {
  const wasRcu = tree.rcu;
  if (wasRcu !== rcu) tree.setRcu(rcu);
  try {
    const mas = tree.state(start, MAX_INDEX);
    mas.preallocate(undefined, 'kernel');
    const need = mas.allocated;
    mas.destroy();
    return need;
  } finally {
    if (wasRcu !== rcu) tree.setRcu(wasRcu);
  }
}

/** What the partial recovery did, for the study and the tests. */
export type PartialOutcome = 'nothing-to-clear' | 'cleared' | 'fell-back';

/** dup_mmap's failure path with the partial recovery. */
export function* recoverPartial(mm: Mm, oldmm: Mm, mpnt: Vma | null): Task<PartialOutcome> {
  const config = mm.kernel.config;
  const fn = 'dup_mmap (partial recovery)';
  // "Not fully initialised": the mm is about to exit, as 64c37e134b12 marks it.
  if (config.failureFlags) mm.setFlag(MMF_UNSTABLE);
  // Every VMA was copied (the failure came after the loop): nothing points at the parent.
  if (!mpnt) return 'nothing-to-clear';
  const cleared = config.nodeReserve ? yield* clearFromReserve(mm, mpnt.vmStart, config.nodeReserve.rcu, fn) : yield* clearAllocating(mm, mpnt.vmStart, fn);
  if (cleared) {
    // dup_mmap copied the parent's total_vm, data_vm, exec_vm and stack_vm up front and takes off
    // only what it skips (MADV_DONTFORK); the VMAs never copied must come off too, or the child
    // claims the parent's size: one more walk, of the parent's VMAs from the failure point on.
    const vmi = vmaIter(oldmm, mpnt.vmStart);
    for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) {
      const vma = slot as Vma;
      mm.statAccount(vma.vmFlags, -vma.pages);
    }
    yield read(fieldId(oldmm.name, 'mm_mt'), `${fn}: vm_stat_account of the parent's VMAs from 0x${mpnt.vmStart.toString(16)} on`);
    yield check(() => childOnly(mm), 'partial-child-only', () => `${fn}: ${mm.name} is not a valid child-only mm: ${childProblem(mm)}`);
    return 'cleared';
  }
  if (config.partialFallback === 'xa-zero') yield* recoverXaZero(mm, mpnt, `${fn} → fallback: XA_ZERO marker`);
  else yield* recoverTeardown(mm, mpnt, `${fn} → fallback: teardown`);
  return 'fell-back';
}

/** What makes `mm` other than a valid mm holding only VMAs of its own, or null. */
function childProblem(mm: Mm): string | null {
  let foreign: string | null = null;
  mm.mmMt.forEach((slot) => {
    if (foreign === null && (!(slot instanceof Vma) || slot.vmMm !== mm)) foreign = `its tree holds ${String(slot)}`;
  });
  if (foreign !== null) return foreign;
  try {
    validateMm(mm);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

function childOnly(mm: Mm): boolean {
  return childProblem(mm) === null;
}

const range = (start: number): string => `[0x${start.toString(16)}, ULONG_MAX]`;

/** vma_iter_clear_gfp(GFP_KERNEL): mas_store_gfp of NULL, each node it needs one allocation. */
function* clearAllocating(mm: Mm, start: number, fn: string): Task<boolean> {
  const mas = mm.mmMt.state(start, MAX_INDEX);
  mas.preallocate(undefined, 'kernel');
  const need = mas.allocated;
  for (let i = 1; i <= need; i++) {
    if (!(yield alloc(CLEAR_SITE, `${fn}: vma_iter_clear_gfp ${range(start)}: maple node ${i} of ${need}`))) {
      mas.destroy();
      return false;
    }
  }
  mas.storePrealloc(undefined);
  yield write(fieldId(mm.name, 'mm_mt'), `${fn}: vma_iter_clear_gfp ${range(start)} (${need} node${need === 1 ? '' : 's'})`);
  return true;
}

/**
 * The clearing store with its nodes taken from the global reserve under the global mutex; a store
 * that needs more than the reserve holds fails (the fallback runs). The reserve is refilled from the
 * allocator before the mutex drops — after a grace period in RCU mode, where the nodes the store
 * replaced may still be read — and a refill that fails leaves it short for the next user.
 */
function* clearFromReserve(mm: Mm, start: number, rcu: boolean, fn: string): Task<boolean> {
  const reserve = nodeReserve(mm.kernel);
  yield lock(NODE_RESERVE_MUTEX, 'write', `${fn}: mutex_lock(&${NODE_RESERVE_MUTEX})`);
  if (rcu) mm.mmMt.setRcu(true);
  const mas = mm.mmMt.state(start, MAX_INDEX);
  mas.preallocate(undefined, 'kernel');
  const need = mas.allocated;
  const cleared = need <= reserve.available;
  if (cleared) {
    reserve.available -= need;
    mas.storePrealloc(undefined);
    yield write(fieldId(mm.name, 'mm_mt'), `${fn}: vma_iter_clear ${range(start)} from the reserve (${need} of ${reserve.available + need} nodes)`);
    if (rcu && need > 0) yield step(`${fn}: synchronize_rcu() before the replaced nodes can refill the reserve`);
    for (let i = 1; reserve.available < reserve.size; i++) {
      if (!(yield alloc(REFILL_SITE, `${fn}: refill the node reserve: node ${i} (${reserve.available} of ${reserve.size})`))) break;
      reserve.available++;
    }
  } else {
    mas.destroy();
    yield step(`${fn}: the clearing store needs ${need} nodes, the reserve holds ${reserve.available}`);
  }
  if (rcu) mm.mmMt.setRcu(false);
  yield unlock(NODE_RESERVE_MUTEX, 'write', `${fn}: mutex_unlock(&${NODE_RESERVE_MUTEX})`);
  return cleared;
}
