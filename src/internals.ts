/**
 * mapletree/internals: the tree's internal structure, for tests, tools and the curious.
 * Unstable: anything here may change in any release.
 */
export * from './tree/constants.js';
export { MapleNode, type NodeStore } from './tree/node.js';
export { RETRY_ENTRY, isZeroEntry, isInternalEntry, isAdvancedEntry, isReservedEntry } from './tree/entry.js';
export { lookup } from './tree/walk.js';
export { masLeafMaxGap, nodeMaxGap } from './tree/gaps.js';
export { validateTree, TreeInvariantError } from './tree/validate.js';
export { dumpTree, type DumpFormat } from './tree/dump.js';
export { dupTree } from './tree/dup.js';
export {
  masWalk, masFind, masFindRange, masFindRev, masFindRangeRev, masNext, masNextRange, masPrev, masPrevRange, masPause,
  masSet, masSetRange,
} from './tree/navigate.js';
export { masEmptyArea, masEmptyAreaRev } from './tree/empty-area.js';
export { mtFind, mtFindAfter, mtNext, mtPrev } from './tree/iterate.js';
export { mtreeAllocRange, masAllocCyclic, mtreeAllocCyclic, type CyclicCursor, type CyclicResult } from './tree/alloc-range.js';
export { treeSvg, type SvgOptions } from './tree/svg.js';
export { planStore, preallocCount } from './tree/wr-store.js';
export {
  Mas, masStart, masStartNode, masReset, masAscend, masDescend, masPrevSibling, masNextSibling, masSafePivot, masSafeMin,
  type MaStatus, type NodeSource,
} from './tree/mas.js';
export type { StoreType, WrState } from './tree/wr-state.js';
export { GFP_VALUES } from './tree/args.js';
