/**
 * Node types, sizes and limits of the 64-bit maple tree (include/linux/maple_tree.h, Linux 6.18).
 *
 * Index domain: the kernel indexes with `unsigned long`; we use JavaScript integers
 * `0..MAX_INDEX` with MAX_INDEX = 2^53 − 1 (Number.MAX_SAFE_INTEGER) standing in for ULONG_MAX in
 * every kernel rule (ranges ending at ULONG_MAX, the wrap of `last + 1`, implied node maxima).
 */

/** The largest index; plays the part of the kernel's ULONG_MAX. */
export const MAX_INDEX = Number.MAX_SAFE_INTEGER;

/** enum maple_type. `maple_dense` exists in the kernel's enum but current code never creates it. */
export const MAPLE_DENSE = 0;
export const MAPLE_LEAF_64 = 1;
export const MAPLE_RANGE_64 = 2;
export const MAPLE_ARANGE_64 = 3;
export type MapleType = typeof MAPLE_DENSE | typeof MAPLE_LEAF_64 | typeof MAPLE_RANGE_64 | typeof MAPLE_ARANGE_64;

export const MAPLE_NODE_SLOTS = 31;
export const MAPLE_RANGE64_SLOTS = 16;
export const MAPLE_ARANGE64_SLOTS = 10;
/** Slots of maple_big_node, the scratch node that split, rebalance and spanning stores build. */
export const MAPLE_BIG_NODE_SLOTS = MAPLE_RANGE64_SLOTS * 2 + 2;
export const MAPLE_BIG_NODE_GAPS = MAPLE_ARANGE64_SLOTS * 2 + 1;
export const MAPLE_HEIGHT_MAX = 31;

/** mt_slots[], mt_pivots[], mt_min_slots[] indexed by node type. */
export const MT_SLOTS: readonly number[] = [MAPLE_NODE_SLOTS, MAPLE_RANGE64_SLOTS, MAPLE_RANGE64_SLOTS, MAPLE_ARANGE64_SLOTS];
export const MT_PIVOTS: readonly number[] = [0, MAPLE_RANGE64_SLOTS - 1, MAPLE_RANGE64_SLOTS - 1, MAPLE_ARANGE64_SLOTS - 1];
export const MT_MIN_SLOTS: readonly number[] = [
  Math.floor(MAPLE_NODE_SLOTS / 2),
  MAPLE_RANGE64_SLOTS / 2 - 2,
  MAPLE_RANGE64_SLOTS / 2 - 2,
  MAPLE_ARANGE64_SLOTS / 2 - 1,
];

/** Human names, as mt_dump prints them. */
export const MAPLE_TYPE_NAMES: readonly string[] = ['dense', 'leaf_64', 'range_64', 'arange_64'];
