/**
 * mapletree/internals: the tree's internal structure, for tests, tools and the curious.
 * Unstable: anything here may change in any release.
 */
export * from './tree/constants.js';
export { MapleNode, type TreeRoot } from './tree/node.js';
export { InternalEntry, RETRY_ENTRY, isZeroEntry, isInternalEntry, isAdvancedEntry, isReservedEntry } from './tree/entry.js';
