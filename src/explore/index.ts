/**
 * mapletree/explore: deterministic interleaving search and fault injection over generator tasks.
 */
export * from './protocol.js';
export { runSync, SyncDeadlock, type SyncOptions } from './sync.js';
