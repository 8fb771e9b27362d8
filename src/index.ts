/**
 * mapletree: the Linux kernel's maple tree in TypeScript.
 */
export { MAX_INDEX } from './tree/constants.js';
export { MapleError, ERRNO, type MapleErrorCode } from './tree/errors.js';
export { ZERO_ENTRY, InternalEntry, type ZeroEntry } from './tree/entry.js';
export { MapleTree, type MapleTreeOptions, type MapleRange } from './tree/tree.js';
export { MaState } from './tree/state.js';
export type { MaStatus } from './tree/mas.js';
export { NodeAllocator, type Gfp, type AllocationInfo } from './tree/alloc.js';
export { TreeInvariantError } from './tree/validate.js';
