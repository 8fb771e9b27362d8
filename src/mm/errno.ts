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
    super(`${code}: ${message}`);
    this.name = 'MmError';
    this.errno = MM_ERRNO[code];
  }
}

export function errnoName(errno: number): MmErrorCode | `errno ${number}` {
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
