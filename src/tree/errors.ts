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
    super(`${code}: ${message}`);
    this.name = 'MapleError';
    this.code = code;
    this.errno = ERRNO[code];
  }
}
