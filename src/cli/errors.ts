/**
 * How the command fails: a usage or input error is one line on stderr and exit status 2; --debug
 * adds the stack. Errors from the library (RangeError, MmError, a replay divergence) are input
 * errors too: they name the argument and value already.
 */

/** The command's exit statuses (documented in --help). */
export const EXIT = { ok: 0, bug: 1, usage: 2, interrupted: 130, pipe: 141 } as const;

/** A mistake in how the command was called or in what it was given. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Node's file-system errno codes read as sentences. */
const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ESRCH: 'no such process',
};

/** An fs error on `path` as one sentence: `cannot read trace.json: no such file or directory`. */
export function fsError(error: unknown, verb: string, path: string): Error {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code in FS_ERRORS) {
    const e = new UsageError(`cannot ${verb} ${path}: ${FS_ERRORS[code]}`);
    e.cause = error;
    return e;
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The one line printed for an error (its stack too with --debug). */
export function errorText(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack !== undefined) return `mapletree: error: ${error.stack}`;
  const message = error instanceof Error ? error.message : String(error);
  return `mapletree: error: ${message.split('\n')[0]}`;
}

/**
 * A reader that leaves early (`mapletree study --json | head`) closes the pipe, and the next write
 * fails with EPIPE. A C tool would die of SIGPIPE there, silently, with status 128 + 13; Node ignores
 * SIGPIPE and would print the write's stack instead. So standard output's EPIPE ends the command as
 * SIGPIPE would, and standard error's is dropped (progress nobody reads is no error). `exit` is a
 * parameter so the rule can be tested without ending the test's process.
 */
export function endQuietlyOnClosedPipe(stdout: NodeJS.EventEmitter, stderr: NodeJS.EventEmitter, exit: (code: number) => void): void {
  const closed = (ends: boolean) => (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    if (ends) exit(EXIT.pipe);
  };
  stdout.on('error', closed(true));
  stderr.on('error', closed(false));
}
