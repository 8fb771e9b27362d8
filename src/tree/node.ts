/**
 * One maple node (struct maple_node in its leaf_64, range_64 and arange_64 forms).
 *
 * Layout follows the kernel: pivot[i] is the inclusive upper bound of slot i; slot 0 starts at the
 * node's minimum (implied by the parent, 0 at the root) and the last used slot ends at the node's
 * maximum. When fewer than all slots are used, the pivot at the data end is stored and equals the
 * node's maximum; only a full node leaves its last slot's bound implied. Pivots and slots past the
 * data end are kept at 0 / undefined, as mt_validate demands.
 *
 * Where we differ on purpose: the kernel packs the node type and parent slot into tagged pointers
 * and keeps the metadata (data end, largest-gap offset) in the storage of the last slot, trusting it
 * only while the node is not full. We keep them as plain fields and keep `end` valid at all times;
 * ma_data_end() therefore reads `node.end`. A dead node (mte_set_node_dead: parent == self in C) has
 * `dead = true`.
 */
import { MAPLE_ARANGE_64, MT_PIVOTS, MT_SLOTS, type MapleType } from './constants.js';

export class MapleNode {
  /** enum maple_type. */
  type: MapleType;
  /** Parent node; null for the root node (whose kernel parent is the tree itself). */
  parent: MapleNode | null;
  /** Offset of this node in its parent's slots (the parent-slot bits of the kernel's parent word). */
  parentSlot: number;
  /** Inclusive upper bounds; length mt_pivots[type] (15, or 9 for arange_64). */
  readonly pivots: Float64Array;
  /** Child nodes in internal nodes, user entries in leaves (undefined = NULL); length mt_slots[type]. */
  readonly slots: unknown[];
  /** arange_64 only: largest run of empty indices below each child; null for other types. */
  readonly gaps: Float64Array | null;
  /** Metadata: offset of the last used slot (ma_meta_end / ma_data_end). */
  end: number;
  /** Metadata, arange_64 only: offset of the child holding the largest gap (ma_meta_gap). */
  gapOffset: number;
  /** Replaced under RCU and awaiting its grace period; readers that see this restart their walk. */
  dead: boolean;

  constructor(type: MapleType) {
    this.type = type;
    this.parent = null;
    this.parentSlot = 0;
    this.pivots = new Float64Array(MT_PIVOTS[type]!);
    const slots = new Array<unknown>(MT_SLOTS[type]!);
    for (let i = 0; i < slots.length; i++) slots[i] = undefined;
    this.slots = slots;
    this.gaps = type === MAPLE_ARANGE_64 ? new Float64Array(MT_SLOTS[type]!) : null;
    this.end = 0;
    this.gapOffset = 0;
    this.dead = false;
  }

  /** ma_is_leaf() */
  get isLeaf(): boolean {
    return this.type < 2;
  }
}

/**
 * The fields of struct maple_tree every module reads. MapleTree implements it; validate, dump and
 * dup depend only on this shape.
 */
export interface TreeRoot {
  /** The root node, or null when the tree is empty or holds only a root-pointer entry. */
  root: MapleNode | null;
  /** The lone [0,0] entry kept directly in ma_root (the root-pointer case); undefined otherwise. */
  rootEntry: unknown;
  /** mt_height(): 0 for an empty or root-pointer tree, 1 for a single leaf. */
  height: number;
  /** mt_is_alloc(): MT_FLAGS_ALLOC_RANGE, internal nodes are arange_64 with gap tracking. */
  readonly isAlloc: boolean;
  /** MT_FLAGS_USE_RCU: writers copy-on-write. */
  rcu: boolean;
}
