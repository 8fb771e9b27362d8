/**
 * The forking process goes on after fork returns: another of its threads munmaps a range
 * (__vm_munmap under the mmap write lock), or the process exits (do_exit → exit_mm → mmput of its
 * last mm_users reference → exit_mmap). Either frees parent VMAs that a failed child's tree may
 * still point at beyond XA_ZERO_ENTRY (6.8–6.18): the model's KASAN then names the freeing site
 * to any walker that steps over the marker and reads one.
 */
import { mmArg, userRangeArg, whoArg } from '../args.js';
import type { Task } from '../../explore/protocol.js';
import { mmput } from '../exit.js';
import type { Mm } from '../mm.js';
import { sysMunmap } from '../syscalls.js';

/** What the parent does once the fork has returned. */
export type ParentAfterFork = 'exit' | { readonly munmap: { readonly start: number; readonly end: number } };

export function parentAfterForkArg(fn: string, action: unknown): ParentAfterFork {
  if (action === 'exit') return action;
  const munmap = (action as { munmap?: { start?: unknown; end?: unknown } } | null)?.munmap;
  if (typeof action !== 'object' || action === null || typeof munmap !== 'object' || munmap === null) {
    throw new TypeError(`${fn}: afterFork must be 'exit' or { munmap: { start, end } }, got ${JSON.stringify(action)}`);
  }
  userRangeArg(fn, munmap.start, munmap.end, ['afterFork.munmap.start', 'afterFork.munmap.end']);
  return action as ParentAfterFork;
}

/** The parent's action: returns the munmap's result (0 or a negative errno), or 0 for an exit. */
export function* parentAfterFork(parent: Mm, action: ParentAfterFork, who = 'parent'): Task<number> {
  mmArg('parent after fork', parent);
  parentAfterForkArg('parent after fork', action);
  whoArg('parent after fork', who);
  if (action === 'exit') {
    yield* mmput(parent, `${who}: do_exit → exit_mm`);
    return 0;
  }
  const { start, end } = action.munmap;
  return yield* sysMunmap(parent, start, end - start);
}
