/**
 * mmap(2): do_mmap → get_unmapped_area (top-down through the tree's gap search, like
 * vm_unmapped_area) → mmap_region / __mmap_region: unmap what a MAP_FIXED mapping replaces,
 * charge private writable memory, merge with a compatible neighbour (vma_merge_new_range) or link a
 * new VMA, then populate for MAP_POPULATE / MAP_LOCKED.
 */
import { vmAcctMemory } from './accounting.js';
import type { Task } from '../explore/protocol.js';
import { MapleError } from '../tree/errors.js';
import {
  MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_LOCKED, MAP_NORESERVE, MAP_POPULATE, MMAP_MIN_ADDR, PAGE_SIZE, PROT_EXEC,
  PROT_READ, PROT_WRITE, TASK_SIZE, VM_ACCOUNT, VM_EXEC, VM_GROWSDOWN, VM_LOCKED, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE,
  VM_NORESERVE, VM_READ, VM_SHARED, VM_WRITE,
} from './constants.js';
import { fileArg, indexArg, integerArg, intArg, mmapArgs, mmArg, userRangeArg, whoArg } from './args.js';
import { MM_ERRNO, MmError } from './errno.js';
import { handleMmFault } from './fault.js';
import type { File } from './file.js';
import type { Mm } from './mm.js';
import { MAX_MAP_COUNT, munmapCommit, munmapSites } from './munmap.js';
import { Vma } from './vma.js';
import { vmaLink } from './vma-link.js';
import { allocateAll, dupAnonVma, dupAnonVmaSites, nextVma, prevVma, removeMergedVma, setBounds, vmasIn } from './vma-ops.js';
import { vmaMergeTargets } from './vma-merge.js';

/** calc_vm_prot_bits */
export function protToVmFlags(prot: number): number {
  intArg('protToVmFlags', 'prot', prot);
  return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) | (prot & PROT_EXEC ? VM_EXEC : 0);
}

/** Is [addr, addr + len) free of VMAs? */
function isFree(mm: Mm, addr: number, len: number): boolean {
  return vmasIn(mm, addr, addr + len).length === 0;
}

/**
 * get_unmapped_area: MAP_FIXED takes `addr`; a free, valid hint (rounded down to its page, as
 * arch_get_unmapped_area_topdown does) is honoured; otherwise the highest
 * gap below mmap_base that fits (arch_get_unmapped_area_topdown through mas_empty_area_rev), falling
 * back to the lowest gap above it. Returns the address or -ENOMEM.
 */
export function getUnmappedArea(mm: Mm, addr: number, len: number, flags: number): number {
  mmArg('get_unmapped_area', mm);
  integerArg('get_unmapped_area', 'addr', addr);
  integerArg('get_unmapped_area', 'len', len);
  integerArg('get_unmapped_area', 'flags', flags);
  if (len <= 0 || len > TASK_SIZE) return MM_ERRNO.ENOMEM;
  if (flags & MAP_FIXED) return addr;
  if (addr > 0) {
    const hint = addr - (addr % PAGE_SIZE);
    if (hint <= TASK_SIZE - len && hint >= MMAP_MIN_ADDR && isFree(mm, hint, len)) return hint;
  }
  const mas = mm.mmMt.state(0);
  const low = Math.max(PAGE_SIZE, MMAP_MIN_ADDR);
  try {
    mas.emptyAreaRev(low, mm.mmapBase - 1, len);
    return mas.index;
  } catch (e) {
    if (!(e instanceof MapleError)) throw e;
  }
  try {
    mas.reset();
    mas.emptyArea(mm.mmapBase, TASK_SIZE - 1, len);
    return mas.index;
  } catch (e) {
    if (!(e instanceof MapleError)) throw e;
    return MM_ERRNO.ENOMEM;
  }
}

/**
 * mmap_region: map [addr, addr + len) with `vmFlags`; the caller holds mmap_lock for writing.
 * Returns addr, or -ENOMEM with nothing changed.
 */
export function* mmapRegion(mm: Mm, addr: number, len: number, vmFlags: number, file: File | null, pgoff: number, who: string): Task<number> {
  mmArg('mmap_region', mm);
  indexArg('mmap_region', 'addr', addr);
  if (indexArg('mmap_region', 'len', len) === 0) throw new RangeError('mmap_region: len must not be 0');
  userRangeArg('mmap_region', addr, addr + len, ['addr', 'addr + len']);
  indexArg('mmap_region', 'vmFlags', vmFlags);
  fileArg('mmap_region', file, true);
  indexArg('mmap_region', 'pgoff', pgoff);
  whoArg('mmap_region', who);
  const end = addr + len;
  const pages = len / PAGE_SIZE;
  const unmapSites = munmapSites(mm, addr, end);
  if (unmapSites === null) return MM_ERRNO.ENOMEM;
  // accountable_mapping: private writable memory is charged up front.
  let flags = vmFlags;
  const accountable = (flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE;
  if (accountable) flags |= VM_ACCOUNT;
  const wanted = { vmFlags: flags, vmFile: file, policy: null, uffdCtx: null, vmPgoff: pgoff, vmStart: addr, vmEnd: end, anonName: null, anonVma: null };
  // The neighbours once the range is unmapped: a split remainder, or a VMA that touches the range.
  const overlapped = vmasIn(mm, addr, end);
  const firstHit = overlapped[0];
  const lastHit = overlapped[overlapped.length - 1];
  const before = firstHit && firstHit.vmStart < addr ? firstHit : prevVma(mm, addr);
  const after = lastHit && lastHit.vmEnd > end ? lastHit : nextVma(mm, end);
  const { prev, next } = vmaMergeTargets(wanted, before, after);
  const mergePrev = prev !== null;
  const mergeNext = next !== null;
  if (!mergePrev && !mergeNext && mm.mapCount >= MAX_MAP_COUNT) return MM_ERRNO.ENOMEM;
  const sites = [...unmapSites];
  if (accountable) sites.push('security_vm_enough_memory_mm');
  if (prev && next) sites.push(...dupAnonVmaSites(prev, next), 'vma_iter_prealloc');
  else if (mergePrev || mergeNext) sites.push('vma_iter_prealloc');
  else sites.push('vm_area_alloc', 'vma_iter_prealloc');
  if (!(yield* allocateAll(sites, who))) return MM_ERRNO.ENOMEM;

  yield* munmapCommit(mm, addr, end, who);
  // After the unmap, prev/next are the surviving neighbours (remainders were split off as new VMAs).
  const p = mergePrev ? prevVma(mm, addr) : null;
  const n = mergeNext ? nextVma(mm, end) : null;
  if (mergePrev && mergeNext) {
    yield* dupAnonVma(p!, n!, who);
    const newEnd = n!.vmEnd;
    yield* removeMergedVma(mm, n!, who);
    yield* setBounds(mm, p!, p!.vmStart, newEnd, who);
  } else if (mergePrev) {
    yield* setBounds(mm, p!, p!.vmStart, end, who);
  } else if (mergeNext) {
    yield* setBounds(mm, n!, addr, n!.vmEnd, who);
  }
  if (mergePrev || mergeNext) {
    mm.statAccount(flags, pages);
    if (flags & VM_ACCOUNT) {
      vmAcctMemory(mm, pages);
    }
  } else {
    const vma = new Vma(mm.kernel, mm, addr, end, flags, pgoff, file);
    yield* vmaLink(mm, vma, who);
  }
  if (flags & VM_LOCKED) mm.lockedVm += pages;
  return addr;
}

/**
 * do_mmap: check the arguments (args.ts), choose the address, compute vm_flags, map. Returns the
 * address or a negative errno; a refusal changes nothing. The caller holds mmap_lock for writing;
 * populating (MAP_POPULATE, MAP_LOCKED) is best effort, as mm_populate is.
 */
export function* doMmap(mm: Mm, addr: number, len: number, prot: number, flags: number, file: File | null, offset: number, who = 'mmap'): Task<number> {
  mmArg('do_mmap', mm);
  whoArg('do_mmap', who);
  const args = mmapArgs(addr, len, prot, flags, file, offset);
  if (args instanceof MmError) return args.errno;
  if (mm.mapCount > MAX_MAP_COUNT) return MM_ERRNO.ENOMEM;
  const size = args.len;
  let vmFlags = protToVmFlags(args.prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (flags & MAP_GROWSDOWN) vmFlags |= VM_GROWSDOWN;
  if (flags & MAP_LOCKED) vmFlags |= VM_LOCKED;
  if (flags & MAP_NORESERVE) vmFlags |= VM_NORESERVE;
  if (args.shared) vmFlags |= VM_SHARED | VM_MAYSHARE;
  const start = getUnmappedArea(mm, args.addr, size, args.fixed ? MAP_FIXED : 0);
  if (start < 0) return start;
  if ((flags & MAP_FIXED_NOREPLACE) && !isFree(mm, start, size)) return MM_ERRNO.EEXIST;
  // Private anonymous memory is offset by its own address; shared anonymous memory (shmem) starts at 0.
  const pgoff = args.file ? args.pgoff : args.shared ? 0 : start / PAGE_SIZE;
  const ret = yield* mmapRegion(mm, start, size, vmFlags, args.file, pgoff, who);
  if (ret < 0) return ret;
  if ((flags & MAP_POPULATE) || (vmFlags & VM_LOCKED)) {
    for (let a = start; a < start + size; a += PAGE_SIZE) {
      if ((yield* handleMmFault(mm, a, (vmFlags & VM_WRITE) !== 0 && !args.shared, `${who}: mm_populate`)) !== 0) break;
    }
  }
  return ret;
}
