/**
 * Carrying out a store of the type mas_wr_store_type chose (mas_wr_store_entry): in place when
 * the leaf has room (exact fit, append, slot store, node store — a fresh copy in RCU mode), or by
 * the big-node paths (split, rebalance, spanning store) when it does not.
 *
 * Nodes are counted before anything changes (mas_prealloc_calc), so an allocation failure leaves
 * the tree untouched; the store then draws on them and gives back what it did not use.
 */
import { masStoreBNode, releaseBigNode, scratchBigNode } from './big-node.js';
import { wrScratch } from './wr-scratch.js';
import { compactNodes } from './compact.js';
import type { Gfp } from './alloc.js';
import { MT_PIVOTS } from './constants.js';
import { isInternalEntry } from './entry.js';
import { Mas, masStartNode, masUpdateGap, masReplaceNode, settleFrees, type NodeSource } from './mas.js';
import { masRebalance, masWrSpanningStore } from './rebalance.js';
import { masSplit } from './split.js';
import type { MapleTree } from './tree.js';
import { lookup } from './walk.js';
import { masNewRoot, masStoreRoot } from './wr-root.js';
import { masPreallocCalc, WrState, masWrNewEnd, masWrStoreType, type StoreType } from './wr-state.js';

/** Nodes a MaState reserved with mas_preallocate; a store draws on them and cannot fail. */
export interface Reservation {
  count: number;
}

const scratchPivots = new Float64Array(MT_PIVOTS[1]!);
const scratchSlots = new Array<unknown>(MT_PIVOTS[1]! + 1).fill(undefined);

/** mas_wr_node_store: rewrite the leaf (a copy in RCU mode) with the new range in it. */
function masWrNodeStore(wr: WrState, newEnd: number, pop: NodeSource): void {
  const mas = wr.mas;
  const tree = mas.tree;
  const old = wr.node;
  let offsetEnd = wr.offsetEnd;
  const nodePivots = MT_PIVOTS[old.type]!;
  if (mas.last === wr.endPiv) offsetEnd++;
  // The new contents are built in scratch arrays, then copied into a fresh node (RCU) or back
  // over the old one (the kernel's on-stack reuse node).
  const dp = scratchPivots;
  const ds = scratchSlots;
  for (let i = 0; i < dp.length; i++) dp[i] = 0;
  const os = old.sl;
  const ob = old.st;
  for (let i = 0; i < mas.offset; i++) {
    dp[i] = old.pv[old.at + i]!;
    ds[i] = os[ob + i];
  }
  if (wr.rMin < mas.index) {
    ds[mas.offset] = wr.content;
    dp[mas.offset++] = mas.index - 1;
  }
  if (mas.offset < nodePivots) dp[mas.offset] = mas.last;
  ds[mas.offset] = wr.entry;
  if (offsetEnd <= mas.end) {
    const dstOffset = mas.offset + 1;
    const copySize = mas.end - offsetEnd + 1;
    for (let k = 0; k < copySize; k++) ds[dstOffset + k] = os[ob + offsetEnd + k];
    for (let k = 0; k < copySize - 1; k++) dp[dstOffset + k] = old.pv[old.at + offsetEnd + k]!;
    if (newEnd < nodePivots) dp[newEnd] = mas.max;
  }
  const dst = tree.rcu ? pop(old.type) : old;
  // The copy takes the old node's place under the same parent (its link word).
  if (dst !== old) dst.store.link[dst.id] = old.store.link[old.id]!;
  const p = dst.pv;
  const s = dst.sl;
  const b = dst.at;
  const sb = dst.st;
  for (let i = 0; i < nodePivots; i++) p[b + i] = dp[i]!;
  for (let i = 0; i < ds.length; i++) {
    s[sb + i] = ds[i];
    ds[i] = undefined;
  }
  dst.end = newEnd;
  if (dst !== old) {
    mas.node = dst;
    masReplaceNode(mas, old, tree.height);
  }
  masUpdateGap(mas);
  mas.end = newEnd;
}

/** mas_wr_slot_store: the write covers parts of two adjacent slots (or one and a bit). */
function masWrSlotStore(wr: WrState): void {
  const mas = wr.mas;
  const offset = mas.offset;
  const slots = wr.node.sl;
  const b = wr.node.st;
  const pv = wr.node.pv;
  const base = wr.node.at;
  let gap = slots[b + offset] === undefined || slots[b + offset + 1] === undefined;
  if (wr.offsetEnd - offset === 1) {
    if (mas.index === wr.rMin) {
      slots[b + offset] = wr.entry;
      pv[base + offset] = mas.last;
    } else {
      slots[b + offset + 1] = wr.entry;
      pv[base + offset] = mas.index - 1;
      mas.offset++;
    }
  } else {
    gap ||= slots[b + offset + 2] === undefined;
    slots[b + offset + 1] = wr.entry;
    pv[base + offset] = mas.index - 1;
    pv[base + offset + 1] = mas.last;
    mas.offset++;
  }
  if (wr.entry === undefined || gap) masUpdateGap(mas);
}

/** mas_wr_append: the write lands at the end of the leaf's data. */
function masWrAppend(wr: WrState, newEnd: number): void {
  const mas = wr.mas;
  const node = wr.node;
  const slots = node.sl;
  const b = node.st;
  const pv = node.pv;
  const base = node.at;
  const end = mas.end;
  if (newEnd < MT_PIVOTS[node.type]!) pv[base + newEnd] = pv[base + end]!;
  node.end = newEnd;
  if (newEnd === end + 1) {
    if (mas.last === wr.rMax) {
      slots[b + newEnd] = wr.entry;
      pv[base + end] = mas.index - 1;
      mas.offset = newEnd;
    } else {
      slots[b + newEnd] = wr.content;
      pv[base + end] = mas.last;
      slots[b + end] = wr.entry;
    }
  } else {
    slots[b + newEnd] = wr.content;
    pv[base + end + 1] = mas.last;
    slots[b + end + 1] = wr.entry;
    pv[base + end] = mas.index - 1;
    mas.offset = end + 1;
  }
  if (wr.content === undefined || wr.entry === undefined) masUpdateGap(mas);
  mas.end = newEnd;
}

/** mas_wr_bnode + mas_commit_b_node: the slow path through a big node. */
function masWrBnode(wr: WrState, type: StoreType, pop: NodeSource): void {
  const b = scratchBigNode(wr.mas.tree.isAlloc);
  masStoreBNode(wr.mas, wr, b, wr.offsetEnd);
  if (type === 'rebalance') masRebalance(wr, b, pop);
  else masSplit(wr.mas, b, pop, wrScratch(wr));
}

/** mas_wr_store_entry */
function masWrStoreEntry(wr: WrState, type: StoreType, pop: NodeSource): void {
  const mas = wr.mas;
  switch (type) {
    case 'exact_fit':
      wr.node.setSlot(mas.offset, wr.entry);
      if ((wr.entry === undefined) !== (wr.content === undefined)) masUpdateGap(mas);
      return;
    case 'append':
      masWrAppend(wr, masWrNewEnd(wr));
      return;
    case 'slot_store':
      masWrSlotStore(wr);
      return;
    case 'node_store':
      masWrNodeStore(wr, masWrNewEnd(wr), pop);
      return;
    case 'spanning_store':
      masWrSpanningStore(wr, pop);
      return;
    case 'split_store':
    case 'rebalance':
      masWrBnode(wr, type, pop);
      return;
    case 'new_root':
      masNewRoot(mas, wr.entry, pop);
      return;
    case 'store_root':
      masStoreRoot(mas, wr.entry, pop);
      return;
    case 'invalid':
      throw new Error('mas_wr_store_entry: invalid store type');
  }
}

/** Where a store will go and how many nodes it may need (mas_wr_preallocate without allocating). */
export function planStore(tree: MapleTree, index: number, last: number, entry: unknown): { wr: WrState; type: StoreType; need: number } {
  const wr = new WrState(new Mas(tree, index, last), entry);
  planInto(wr);
  return { wr, type: wr.type, need: wr.need };
}

/** mas_wr_prealloc_setup + mas_wr_store_type + mas_prealloc_calc on a reset write state. */
function planInto(wr: WrState): void {
  masStartNode(wr.mas);
  planHere(wr);
}

/**
 * mas_wr_store_type + mas_prealloc_calc from where mas stands: mas_wr_prealloc_setup keeps an
 * active state whose node holds the write (mtree_alloc_range's insert after mas_empty_area), so
 * the walk starts at that node and, as in the kernel, sees no vacant level above it.
 */
function planHere(wr: WrState): void {
  wr.type = masWrStoreType(wr);
  wr.need = masPreallocCalc(wr, wr.type, isInternalEntry(wr.entry));
}

/** The number of nodes mas_preallocate reserves for this store. */
export function preallocCount(tree: MapleTree, index: number, last: number, entry: unknown): number {
  return planStore(tree, index, last, entry).need;
}

/**
 * What a store does again when the tree changed while it allocated (the kernel's `goto retry` after
 * mas_nomem dropped the lock): it may move the range on `mas` (mas_erase walks again), and returns
 * false to give up (nothing left to do). It may throw (mas_insert's EEXIST); the nodes held are
 * given back first.
 */
export type StoreRetry = (mas: Mas) => boolean;

/** Gives back `held` nodes, then rethrows what `retry` threw. */
function replan(tree: MapleTree, mas: Mas, retry: StoreRetry | undefined, held: number, reserve: Reservation | undefined): boolean {
  if (retry === undefined) return true;
  try {
    return retry(mas);
  } catch (e) {
    if (reserve === undefined && held > 0) tree.allocator.free(held);
    throw e;
  }
}

/**
 * Stores `entry` over [index, last] (mas_store_gfp, or mas_store_prealloc with `reserve`) and
 * returns the write state: its mas.index/last are the range written, after NULL expansion, and
 * `old` the entry that was at the index (undefined for a spanning store when `wantOld` is false).
 * Returns null, with the tree unchanged, when the allocator refuses the nodes it may need (ENOMEM)
 * or `retry` gave up. No exception on that path: a GFP_NOWAIT try that fails is routine and must
 * stay cheap.
 *
 * Allocation runs code that is not the tree's (a failWhen predicate, a NodeAllocator subclass, the
 * mas_nomem callback), and that code may write to this tree. The kernel holds the tree lock across
 * a GFP_NOWAIT allocation and drops it only in mas_nomem; here any allocation may see a write, so
 * after each one the store checks writeSeq and, if the tree changed, plans again (keeping the nodes
 * it holds, topping up if the new plan needs more). Nothing is changed before the last plan holds.
 */
export function storeEntry(
  tree: MapleTree, index: number, last: number, entry: unknown, gfp: Gfp, reserve?: Reservation, nomem?: Gfp,
  retry?: StoreRetry, wantOld = true, from?: Mas,
): WrState | null {
  tree.nodes.quiesce(!tree.rcu);
  compactNodes(tree);
  let at = index;
  // The tree's spare write state, unless a write that is allocating holds it (then a new one).
  const wr = tree.wrSpare ?? new WrState(new Mas(tree, index, last), entry);
  tree.wrSpare = null;
  // `from` is a state on the leaf holding [index, last], walked on this very tree (no write or
  // compaction since); otherwise the plan walks from the root.
  if (from !== undefined && from.status === 'active' && from.seq === tree.writeSeq && from.node !== null && from.n.isLeaf && last <= from.max) {
    wr.mas.copyFrom(from);
    wr.mas.index = index;
    wr.mas.last = last;
    wr.begin(entry);
    planHere(wr);
  } else {
    wr.reset(index, last, entry);
    planInto(wr);
  }
  /** Nodes allocated for this store so far (without a reservation; with one, reserve.count). */
  let held = 0;
  let using = gfp;
  for (;;) {
    const have = reserve === undefined ? held : reserve.count;
    if (wr.need <= have) break;
    const seq = tree.writeSeq;
    if (tree.allocator.allocate(wr.need - have, using)) {
      if (reserve === undefined) held = wr.need;
      else reserve.count = wr.need;
    } else if (nomem !== undefined && using !== nomem) {
      // mas_nomem: allocate with `nomem`, which may block (the allocator's callback runs there, as
      // another writer may while the kernel drops the lock).
      using = nomem;
    } else {
      if (reserve === undefined && held > 0) tree.allocator.free(held);
      tree.wrSpare = wr;
      return null;
    }
    if (tree.writeSeq !== seq) {
      const mas = new Mas(tree, index, last);
      if (!replan(tree, mas, retry, held, reserve)) {
        if (reserve === undefined && held > 0) tree.allocator.free(held);
        tree.wrSpare = wr;
        return null;
      }
      at = mas.index;
      wr.reset(mas.index, mas.last, entry);
      planInto(wr);
    }
  }
  const type = wr.type;
  const need = wr.need;
  // What mas_store returns, from the walk just made: the entry that was at the index. A spanning
  // store's walk stops above the leaves (the kernel returns what it last read there), so it looks;
  // mtree_store_range returns no entry, so its callers (`wantOld` false) skip that walk.
  if (type === 'spanning_store') wr.old = wantOld ? lookup(tree, at) : undefined;
  else wr.old = type === 'store_root' ? (at === 0 ? tree.rootEntry : undefined) : wr.content;
  if (reserve !== undefined) {
    reserve.count -= need;
    held = need;
  }
  wr.left = held;
  tree.writeSeq++;
  masWrStoreEntry(wr, type, wr.pop);
  releaseBigNode();
  const left = wr.left;
  // The tree is consistent again: now the allocator may hear about what was freed and left over
  // (a write made from there takes a write state of its own: this one is not spare yet).
  settleFrees(tree);
  if (left > 0) {
    if (reserve !== undefined) reserve.count += left;
    else tree.allocator.free(left);
  }
  // Spare again: the caller reads the result before it writes again.
  tree.wrSpare = wr;
  return wr;
}
