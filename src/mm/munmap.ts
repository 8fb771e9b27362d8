/**
 * munmap(2): do_vmi_munmap → do_vmi_align_munmap. The VMAs overlapping the range are split at its
 * ends (vms_gather_munmap_vmas), then the part inside is unmapped and freed (vms_complete_munmap_vmas).
 * All allocations come first, so an ENOMEM changes nothing.
 */
import type { Task } from '../explore/protocol.js';
import { mmArg, munmapArgs, whoArg } from './args.js';
import { FIRST_USER_ADDRESS, USER_PGTABLES_CEILING } from './constants.js';
import { MM_ERRNO, MmError } from './errno.js';
import type { Mm } from './mm.js';
import { allocateAll, nextVma, prevVma, splitSites, splitVma, unmapVmasInRange, vmasIn } from './vma-ops.js';

/** sysctl_max_map_count's default. */
export const MAX_MAP_COUNT = 65530;

/** The allocations unmapping [start, end) needs: a split at each end that cuts a VMA. */
export function munmapSites(mm: Mm, start: number, end: number): string[] | null {
  const vmas = vmasIn(mm, start, end);
  if (vmas.length === 0) return [];
  const first = vmas[0]!;
  const last = vmas[vmas.length - 1]!;
  const splitLow = first.vmStart < start;
  const splitHigh = last.vmEnd > end;
  // A hole punched in the middle of one VMA adds one; the kernel refuses past the limit.
  if (splitLow && splitHigh && first === last && mm.mapCount >= MAX_MAP_COUNT) return null;
  return [...(splitLow ? splitSites(first) : []), ...(splitHigh ? splitSites(last) : []), 'vma_iter_prealloc'];
}

/** Unmaps [start, end) once its allocations are taken (cannot fail). */
export function* munmapCommit(mm: Mm, start: number, end: number, who: string): Task {
  const vmas = vmasIn(mm, start, end);
  if (vmas.length === 0) return;
  const first = vmas[0]!;
  if (first.vmStart < start) yield* splitVma(mm, first, start, true, who);
  const last = vmas[vmas.length - 1]!;
  if (last.vmEnd > end) yield* splitVma(mm, last, end, false, who);
  const inside = vmasIn(mm, start, end);
  const prev = prevVma(mm, start);
  const next = nextVma(mm, end);
  yield* unmapVmasInRange(mm, inside, prev ? prev.vmEnd : FIRST_USER_ADDRESS, next ? next.vmStart : USER_PGTABLES_CEILING, who);
}

/** do_vmi_munmap: 0, -EINVAL for a bad range (args.ts), -ENOMEM when a split cannot be allocated. The caller holds mmap_lock for writing. */
export function* doVmiMunmap(mm: Mm, start: number, len: number, who = 'munmap'): Task<number> {
  mmArg('do_vmi_munmap', mm);
  whoArg('do_vmi_munmap', who);
  const range = munmapArgs(start, len);
  if (range instanceof MmError) return range.errno;
  const { end } = range;
  const sites = munmapSites(mm, start, end);
  if (sites === null) return MM_ERRNO.ENOMEM;
  if (sites.length === 0) return 0;
  if (!(yield* allocateAll(sites, who))) return MM_ERRNO.ENOMEM;
  yield* munmapCommit(mm, start, end, who);
  return 0;
}
