/**
 * mapletree: the Linux kernel's maple tree in TypeScript.
 */
export { MAX_INDEX } from './tree/constants.js';
export { MapleError, ERRNO, type MapleErrorCode } from './tree/errors.js';
export { ZERO_ENTRY } from './tree/entry.js';
