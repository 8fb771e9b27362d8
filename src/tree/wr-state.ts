/**
 * struct ma_wr_state and how a write finds its place: the walk down to the leaf (mas_wr_walk),
 * the NULL extension (mas_wr_extend_null), the new data end (mas_wr_new_end) and the choice of
 * store (mas_wr_store_type), with the node count a store may need (mas_prealloc_calc).
 */
import { MAX_INDEX, MT_MIN_SLOTS, MT_SLOTS } from './constants.js';
import { maIsRoot, type Mas, masSafeMin, type NodeSource } from './mas.js';
import { chunkOf, META, metaEnd, metaIsLeaf, metaType, regionOf, type MapleNode } from './node.js';
import type { WrScratch } from './wr-scratch.js';

export type StoreType =
  | 'invalid' | 'new_root' | 'store_root' | 'exact_fit' | 'spanning_store' | 'split_store' | 'rebalance' | 'append'
  | 'node_store' | 'slot_store';

export class WrState {
  node!: MapleNode;
  rMin = 0;
  rMax = 0;
  offsetEnd = 0;
  endPiv = 0;
  content: unknown = undefined;
  /** The shallowest depth (1-based) of a non-full node on the path, and of one with data to spare. */
  vacantHeight = 0;
  sufficientHeight = 0;
  /** The entry at mas.index before the write (what mas_store returns), set by storeEntry. */
  old: unknown = undefined;
  /** The plan: the store type chosen and the nodes it may take (mas_prealloc_calc). */
  type: StoreType = 'invalid';
  need = 0;
  /** Nodes the store may still take; `pop` hands them out (mas_pop_node). */
  left = 0;
  readonly pop: NodeSource;
  /**
   * The slow paths' reusable states, made on the first store that needs them.
   * @internal
   */
  scratch: WrScratch | null = null;

  constructor(public mas: Mas, public entry: unknown) {
    this.pop = (t) => {
      if (this.left === 0) throw new Error(`a ${this.type} needed more than the ${this.need} nodes mas_prealloc_calc allows`);
      this.left--;
      return this.mas.tree.nodes.create(t);
    };
  }

  /** A fresh write of `entry` over [index, last], as MA_WR_STATE on a new MA_STATE. */
  reset(index: number, last: number, entry: unknown): void {
    this.mas.init(index, last);
    this.begin(entry);
  }

  /** MA_WR_STATE on the state as it is: a write of `entry` from mas's position. */
  begin(entry: unknown): void {
    this.entry = entry;
    this.rMin = 0;
    this.rMax = 0;
    this.offsetEnd = 0;
    this.endPiv = 0;
    this.content = undefined;
    this.vacantHeight = 0;
    this.sufficientHeight = 0;
    this.old = undefined;
    this.type = 'invalid';
    this.need = 0;
    this.left = 0;
  }
}

/** mas_wr_node_walk: the slot of mas.index in mas's node, with its range. */
export function masWrNodeWalk(wr: WrState): void {
  const mas = wr.mas;
  const node = (wr.node = mas.n);
  const count = (mas.end = node.end);
  const pv = node.pv;
  const at = node.at;
  const index = mas.index;
  let offset = mas.offset;
  while (offset < count && index > pv[at + offset]!) offset++;
  wr.rMax = offset < count ? pv[at + offset]! : mas.max;
  wr.rMin = offset > 0 ? pv[at + offset - 1]! + 1 : mas.min;
  wr.offsetEnd = mas.offset = offset;
}

/** mas_is_span_wr: does the write leave this node (or end a leaf on NULL)? */
function masIsSpanWr(wr: WrState, leaf: boolean): boolean {
  let max = wr.rMax;
  const last = wr.mas.last;
  if (last < max) return false;
  if (leaf) {
    max = wr.mas.max;
    if (last < max) return false;
  }
  if (last === max && (wr.entry !== undefined || last === MAX_INDEX)) return false;
  return true;
}

/** mas_wr_walk_traverse: down into the slot found. */
function masWrWalkTraverse(wr: WrState): void {
  const mas = wr.mas;
  mas.max = wr.rMax;
  mas.min = wr.rMin;
  mas.node = wr.content as MapleNode;
  mas.offset = 0;
  mas.depth++;
}

/**
 * mas_wr_walk: down to the leaf; false when the write spans nodes. Each level is
 * mas_wr_walk_descend (masWrNodeWalk), mas_is_span_wr and mas_wr_walk_traverse, done here on node
 * ids in the arenas, as lookup walks: the node where the walk stops is the only handle fetched.
 */
export function masWrWalk(wr: WrState): boolean {
  const mas = wr.mas;
  const store = mas.tree.nodes;
  const index = mas.index;
  let id = mas.n.id;
  let offset = mas.offset;
  for (;;) {
    const c = chunkOf(id);
    const st = regionOf(id, c);
    const at = st << store.pivotShift;
    const pv = store.piv[c]!;
    const meta = pv[at + META]!;
    const count = (mas.end = metaEnd(meta));
    // Past the last stored pivot (an append, every level of a build in order) the scan would
    // end at `count` anyway; the pivots are sorted, so one comparison tells.
    if (count > 0 && index > pv[at + count - 1]!) offset = count;
    else while (offset < count && index > pv[at + offset]!) offset++;
    wr.rMax = offset < count ? pv[at + offset]! : mas.max;
    wr.rMin = offset > 0 ? pv[at + offset - 1]! + 1 : mas.min;
    wr.offsetEnd = mas.offset = offset;
    const leaf = metaIsLeaf(meta);
    if (masIsSpanWr(wr, leaf)) {
      // The kernel's wr_mas->content is then the slot read one level up (this node), or NULL.
      wr.node = store.node(id);
      if (mas.depth > 0) wr.content = wr.node;
      mas.node = wr.node;
      return false;
    }
    const slot = store.slot[c]![st + offset];
    if (leaf) {
      wr.content = slot;
      wr.node = mas.node = store.node(id);
      return true;
    }
    const type = metaType(meta);
    if (count < MT_SLOTS[type]! - 1) wr.vacantHeight = mas.depth + 1;
    if (store.link[id]! < 16) {
      if (count > 2) wr.sufficientHeight = 1;
    } else if (count > MT_MIN_SLOTS[type]! + 1) {
      wr.sufficientHeight = mas.depth + 1;
    }
    // mas_wr_walk_traverse
    mas.max = wr.rMax;
    mas.min = wr.rMin;
    id = slot as number;
    offset = 0;
    mas.depth++;
  }
}

/** mas_wr_walk_index: down to the leaf holding mas.index, ignoring where the write ends. */
export function masWrWalkIndex(wr: WrState): WrState {
  const mas = wr.mas;
  for (;;) {
    masWrNodeWalk(wr);
    wr.content = wr.node.slot(mas.offset);
    if (wr.node.isLeaf) return wr;
    masWrWalkTraverse(wr);
  }
}

/** mas_wr_end_piv: the slot where the write ends, and its upper bound. */
function masWrEndPiv(wr: WrState): void {
  const mas = wr.mas;
  while (wr.offsetEnd < mas.end && mas.last > wr.node.pv[wr.node.at + wr.offsetEnd]!) wr.offsetEnd++;
  wr.endPiv = wr.offsetEnd < mas.end ? wr.node.pv[wr.node.at + wr.offsetEnd]! : mas.max;
}

/** mas_wr_extend_null: a NULL write takes in the NULL slots next to it. */
function masWrExtendNull(wr: WrState): void {
  const mas = wr.mas;
  const node = wr.node;
  if (node.slot(wr.offsetEnd) === undefined) {
    mas.last = wr.endPiv;
  } else if (mas.last === wr.endPiv && mas.end !== wr.offsetEnd && node.slot(wr.offsetEnd + 1) === undefined) {
    wr.offsetEnd++;
    mas.last = wr.offsetEnd === mas.end ? mas.max : wr.node.pv[wr.node.at + wr.offsetEnd]!;
    wr.endPiv = mas.last;
  }
  if (wr.content === undefined) {
    mas.index = wr.rMin;
  } else if (mas.index === wr.rMin && mas.offset > 0 && node.slot(mas.offset - 1) === undefined) {
    mas.offset--;
    wr.rMin = mas.index = masSafeMin(wr.node, mas.offset, mas.min);
    wr.rMax = wr.node.pv[wr.node.at + mas.offset]!;
  }
}

/** mas_wr_new_end: the leaf's data end after the write. */
export function masWrNewEnd(wr: WrState): number {
  const mas = wr.mas;
  let newEnd = mas.end + 2;
  newEnd -= wr.offsetEnd - mas.offset;
  if (wr.rMin === mas.index) newEnd--;
  if (wr.endPiv === mas.last) newEnd--;
  return newEnd;
}

/** mas_wr_store_type (after mas_wr_prealloc_setup put mas at the root). */
export function masWrStoreType(wr: WrState): StoreType {
  const mas = wr.mas;
  const tree = mas.tree;
  if (tree.root === null) return 'store_root';
  if (!masWrWalk(wr)) return 'spanning_store';
  masWrEndPiv(wr);
  if (wr.entry === undefined) masWrExtendNull(wr);
  if (wr.rMin === mas.index && wr.rMax === mas.last) return 'exact_fit';
  if (mas.index === 0 && mas.last === MAX_INDEX) return 'new_root';
  const newEnd = masWrNewEnd(wr);
  const type = wr.node.type;
  if (newEnd < MT_MIN_SLOTS[type]!) return maIsRoot(wr.node) ? 'node_store' : 'rebalance';
  if (newEnd >= MT_SLOTS[type]!) return 'split_store';
  if (!tree.rcu && mas.offset === mas.end) return 'append';
  if (newEnd === mas.end && (!tree.rcu || wr.offsetEnd - mas.offset === 1)) return 'slot_store';
  return 'node_store';
}

/** mas_prealloc_calc: how many nodes the chosen store may take, at most. */
export function masPreallocCalc(wr: WrState, type: StoreType, rootEntryIsNode: boolean): number {
  const mas = wr.mas;
  const height = mas.tree.height;
  const delta = height - wr.vacantHeight;
  switch (type) {
    case 'exact_fit':
    case 'append':
    case 'slot_store':
      return 0;
    case 'spanning_store':
      return wr.sufficientHeight < wr.vacantHeight ? (height - wr.sufficientHeight) * 3 + 1 : delta * 3 + 1;
    case 'split_store':
      return delta * 2 + 1;
    case 'rebalance':
      return wr.sufficientHeight < wr.vacantHeight ? (height - wr.sufficientHeight) * 2 + 1 : delta * 2 + 1;
    case 'node_store':
      return mas.tree.rcu ? 1 : 0;
    case 'new_root':
      return 1;
    case 'store_root':
      return mas.last !== 0 || mas.index !== 0 || rootEntryIsNode ? 1 : 0;
    case 'invalid':
      return height * 3 + 1;
  }
}
