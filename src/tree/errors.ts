import { shown } from './shown.js';

/** Kernel error codes the tree returns, with their (negative) errno values. */
export const ERRNO = {
  EINVAL: -22,
  EEXIST: -17,
  ENOMEM: -12,
  EBUSY: -16,
} as const;

export type MapleErrorCode = keyof typeof ERRNO;

/**
 * An operation failed the way the kernel's would: `code` is the errno name and `errno` its
 * negative value (-EINVAL is -22). A failed operation leaves the tree exactly as it was.
 */
export class MapleError extends Error {
  readonly code: MapleErrorCode;
  readonly errno: number;

  constructor(code: MapleErrorCode, message: string) {
    // errors.ts is below args.ts in the module graph: it checks its arguments itself.
    if (typeof code !== 'string' || !Object.hasOwn(ERRNO, code)) {
      const known = Object.keys(ERRNO).join(', ');
      throw new (typeof code === 'string' ? RangeError : TypeError)(`code must be one of ${known}, got ${shown(code)}`);
    }
    if (typeof message !== 'string') throw new TypeError(`message must be a string, got ${shown(message)}`);
    super(`${code}: ${message}`);
    this.name = 'MapleError';
    this.code = code;
    this.errno = ERRNO[code];
  }
}
