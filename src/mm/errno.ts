/**
 * Errors of the address-space model. Model operations return the kernel's negative errno (so a
 * generator task can carry it through the explorer like C code would); the synchronous façade on
 * `Mm` turns a negative return into a thrown MmError.
 */
export const MM_ERRNO = {
  EPERM: -1, ESRCH: -3, EINTR: -4, EBADF: -9, EAGAIN: -11, ENOMEM: -12, EACCES: -13, EFAULT: -14, EBUSY: -16, EEXIST: -17,
  EINVAL: -22, EOVERFLOW: -75, EOPNOTSUPP: -95,
} as const;

export type MmErrorCode = keyof typeof MM_ERRNO;

export class MmError extends Error {
  readonly errno: number;
  constructor(readonly code: MmErrorCode, message: string) {
    // errno.ts is below args.ts in the module graph: it checks its arguments itself.
    if (typeof code !== 'string' || !Object.hasOwn(MM_ERRNO, code)) throw new RangeError(`MmError: code must be one of ${Object.keys(MM_ERRNO).join(', ')}, got ${typeof code === 'string' ? JSON.stringify(code) : typeof code}`);
    if (typeof message !== 'string') throw new TypeError(`MmError: message must be a string, got ${typeof message}`);
    super(`${code}: ${message}`);
    this.name = 'MmError';
    this.errno = MM_ERRNO[code];
  }
}

export function errnoName(errno: number): MmErrorCode | `errno ${number}` {
  // errno.ts is below args.ts in the module graph: it checks its argument itself.
  if (typeof errno !== 'number') throw new TypeError(`errnoName: errno must be a number, got ${typeof errno}`);
  if (!Number.isSafeInteger(errno)) throw new RangeError(`errnoName: errno must be a safe integer, got ${errno}`);
  for (const [name, value] of Object.entries(MM_ERRNO)) if (value === errno) return name as MmErrorCode;
  return `errno ${errno}`;
}

/** Throws the MmError for a negative kernel return value; passes other values through. */
export function check(ret: number, what: string): number {
  if (ret < 0) {
    const code = errnoName(ret);
    throw new MmError(code.startsWith('errno') ? 'EINVAL' : code as MmErrorCode, `${what} failed`);
  }
  return ret;
}
