/**
 * fork's copy of the address space: dup_mm and dup_mmap, with every failure point of the kernel's
 * loop and both recoveries — 'xa-zero' (6.8–6.18: mark the failure point with XA_ZERO_ENTRY, drop
 * the locks, let exit_mmap stop there) and 'teardown' (7.0: tear the partial tree down, then drop
 * the locks). The kernel configuration also selects the fixes around it (config.ts).
 */
import { forkOptionsArg, kernelArg, mmArg, show } from './args.js';
import { alloc, choice, lock, unlock, write, type Task } from '../explore/protocol.js';
import { ZERO_ENTRY } from '../tree/entry.js';
import { MAX_INDEX } from '../tree/constants.js';
import { MMF_HAS_UPROBES, MMF_OOM_SKIP, MMF_UNSTABLE, VM_ACCOUNT, VM_DONTCOPY, VM_LOCKED_MASK, VM_WIPEONFORK } from './constants.js';
import { MM_ERRNO } from './errno.js';
import { mmdrop, mmput } from './exit.js';
import { kfree, use } from './kasan.js';
import { type Kernel } from './kernel.js';
import { iMmapLockWrite, iMmapUnlockWrite, mmapWriteLock, mmapWriteLockKillable, mmapWriteUnlock } from './locks.js';
import { copyPageRange } from './memory.js';
import type { Mm } from './mm.js';
import { anonVmaFork } from './rmap.js';
import { tearDownVmas, unmapRegion, unmapState, vmUnacctMemory } from './unmap.js';
import { derefVma, MemPolicy, UffdCtx, Vma } from './vma.js';
import { vmaIter, vmaIterSet, vmaNext } from './vma-iter.js';
import { DUP_MMAP_SEM } from './locks.js';
import { createMm } from './mm.js';

export interface ForkOptions {
  /** A fatal signal is pending from the k-th VMA the loop visits on (0-based); null for none. */
  readonly signalAtVma?: number | null;
  /** A fatal signal is pending before dup_mmap locks the parent (and so at every VMA after). */
  readonly signalAtLock?: boolean;
  /** Let the explorer choose at every fatal_signal_pending check (a choice op). */
  readonly signalChoice?: boolean;
  /** The OOM killer picks the child as soon as it exists (the door 64c37e134b12 closes with MMF_OOM_SKIP). */
  readonly oomVictim?: boolean;
  /** The parent has an LDT, so x86's arch_dup_mmap allocates (ldt_dup_context). */
  readonly ldt?: boolean;
}

/** A userfaultfd fork context being built (struct userfaultfd_fork_ctx on the uf list). */
interface UffdForkCtx {
  readonly orig: UffdCtx;
  readonly ctx: UffdCtx;
}

/** What dup_mmap leaves for the study: where it failed and how. */
export interface DupMmapOutcome {
  readonly retval: number;
  /** The failure point: the site, and the parent VMA mpnt pointed at (null when all were stored). */
  readonly failedAt: string | null;
  readonly mpnt: Vma | null;
}

/** dup_mm: allocate and initialise the child's mm and copy the address space into it. */
export function* dupMm(kernel: Kernel, oldmm: Mm, options: ForkOptions = {}, outcome?: { value?: DupMmapOutcome }): Task<Mm | null> {
  kernelArg('dup_mm', kernel);
  mmArg('dup_mm', oldmm, 'oldmm');
  forkOptionsArg('dup_mm', options);
  if (outcome !== undefined && (typeof outcome !== 'object' || outcome === null)) throw new TypeError(`dup_mm: outcome must be an object, got ${show(outcome)}`);
  const fn = 'dup_mm';
  const mm = yield* dupMmInit(kernel, oldmm, options);
  if (mm === null) return null;
  const semInDupMm = kernel.config.uprobeSemInDupMm;
  if (semInDupMm) yield lock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_start_dup_mmap`);
  const result = yield* dupMmap(mm, oldmm, options);
  if (outcome) outcome.value = result;
  if (result.retval === 0) {
    if (semInDupMm) yield unlock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_end_dup_mmap`);
    return mm;
  }
  yield* mmput(mm, `${fn} (free_pt)`);
  if (semInDupMm) yield unlock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_end_dup_mmap`);
  return null;
}

/** allocate_mm, memcpy and mm_init: null when an allocation fails. */
function* dupMmInit(kernel: Kernel, oldmm: Mm, options: ForkOptions): Task<Mm | null> {
  const fn = 'dup_mm';
  if (!(yield alloc('allocate_mm', `${fn}: allocate_mm`))) return null;
  const mm = createMm(kernel);
  // memcpy(mm, oldmm) then mm_init: layout fields are inherited, flags are filtered (no MMF_OOM_SKIP,
  // MMF_UNSTABLE or MMF_HAS_UPROBES), counters and the tree start empty.
  mm.mmapBase = oldmm.mmapBase;
  mm.startBrk = oldmm.startBrk;
  mm.brk = oldmm.brk;
  mm.startStack = oldmm.startStack;
  if (!(yield alloc('mm_alloc_pgd', `${fn}: mm_init → mm_alloc_pgd`))) {
    mmdrop(mm, 'mm_init failure (free_mm)');
    return null;
  }
  if (options.oomVictim) {
    mm.mmgrab();
    kernel.oomVictims.push(mm);
    yield write('oom_victims', `${fn}: mark_oom_victim(${mm.name})`);
  }
  return mm;
}

/** fatal_signal_pending(current) at the loop's k-th VMA. */
function* fatalSignalPending(options: ForkOptions, k: number): Task<boolean> {
  if (options.signalChoice) return ((yield choice('fatal_signal_pending', 2, `dup_mmap: fatal_signal_pending (VMA ${k})`)) as number) === 1;
  if (options.signalAtLock) return true;
  return options.signalAtVma !== undefined && options.signalAtVma !== null && k >= options.signalAtVma;
}

/** vm_area_dup: a copy of the parent VMA, not yet in any tree, rmap or file. */
function copyVma(mpnt: Vma): Vma {
  const tmp = new Vma(mpnt.registry, mpnt.vmMm, mpnt.vmStart, mpnt.vmEnd, mpnt.vmFlags, mpnt.vmPgoff, mpnt.vmFile);
  tmp.anonVma = mpnt.anonVma;
  tmp.policy = mpnt.policy;
  tmp.uffdCtx = mpnt.uffdCtx;
  tmp.anonName = mpnt.anonName;
  return tmp;
}

/** dup_userfaultfd: a VMA registered with a fork-event monitor gets a context for the child. */
function* dupUserfaultfd(tmp: Vma, mm: Mm, uf: UffdForkCtx[], who: string): Task<number> {
  const octx = tmp.uffdCtx;
  if (!octx) return 0;
  if (!octx.forkEvents) {
    tmp.uffdCtx = null;
    return 0;
  }
  const found = uf.find((f) => f.orig === octx);
  if (found) {
    tmp.uffdCtx = found.ctx;
    return 0;
  }
  if (!(yield alloc('dup_userfaultfd', `${who}: dup_userfaultfd → kmem_cache_alloc(userfaultfd_ctx)`))) return MM_ERRNO.ENOMEM;
  const ctx = new UffdCtx(mm.kernel, mm, true);
  mm.mmgrab();
  uf.push({ orig: octx, ctx });
  tmp.uffdCtx = ctx;
  return 0;
}

/** dup_mmap: copy `oldmm`'s VMA tree and VMAs into `mm` (6.18's loop; the recovery per config). */
export function* dupMmap(mm: Mm, oldmm: Mm, options: ForkOptions = {}): Task<DupMmapOutcome> {
  mmArg('dup_mmap', mm);
  mmArg('dup_mmap', oldmm, 'oldmm');
  forkOptionsArg('dup_mmap', options);
  if (mm === oldmm || mm.mapCount !== 0) throw new RangeError(`dup_mmap: mm ${mm.name} must be a new, empty mm (not ${oldmm.name} itself, no VMAs)`);
  const fn = 'dup_mmap';
  const kernel = mm.kernel;
  const config = kernel.config;
  const uf: UffdForkCtx[] = [];
  if (!config.uprobeSemInDupMm) yield lock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_start_dup_mmap`);
  if (!(yield* mmapWriteLockKillable(oldmm, fn, options.signalAtLock === true))) {
    // fail_uprobe_end: nothing was copied or locked.
    if (!config.uprobeSemInDupMm) yield unlock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_end_dup_mmap`);
    return { retval: MM_ERRNO.EINTR, failedAt: 'mmap_write_lock_killable', mpnt: null };
  }
  if (oldmm.testFlag(MMF_HAS_UPROBES)) mm.setFlag(MMF_HAS_UPROBES);
  yield* mmapWriteLock(mm, `${fn} (nested)`);
  if (oldmm.exeFile) {
    oldmm.exeFile.refs++;
    mm.exeFile = oldmm.exeFile;
  }
  mm.totalVm = oldmm.totalVm;
  mm.dataVm = oldmm.dataVm;
  mm.execVm = oldmm.execVm;
  mm.stackVm = oldmm.stackVm;

  let retval = 0;
  let failedAt: string | null = null;
  let mpnt: Vma | null = null;
  if (!(yield alloc('__mt_dup', `${fn}: __mt_dup`))) {
    retval = MM_ERRNO.ENOMEM;
    failedAt = '__mt_dup';
  } else {
    // __mt_dup: an identical tree whose slots still point at the parent's VMAs.
    mm.mmMt.destroy();
    mm.mmMt = oldmm.mmMt.dup('kernel');
    mm.mmMt.setRcu(false);
    const vmi = vmaIter(mm, 0);
    let k = -1;
    loop: for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) {
      k++;
      mpnt = use(slot as Vma, fn);
      const here = `${fn} VMA ${k} ${mpnt.toString()}`;
      if (config.recovery === 'teardown') {
        // 7.0: vma_start_write_killable fails when a fatal signal is pending.
        if (yield* fatalSignalPending(options, k)) {
          retval = MM_ERRNO.EINTR;
          failedAt = 'vma_start_write_killable';
          break;
        }
        yield write(`${mpnt.name}.vm_lock_seq`, `${here}: vma_start_write_killable`);
      } else {
        yield write(`${mpnt.name}.vm_lock_seq`, `${here}: vma_start_write`);
      }
      if (mpnt.vmFlags & VM_DONTCOPY) {
        if (!(yield alloc('vma_iter_clear_gfp', `${here}: vma_iter_clear_gfp`))) {
          retval = MM_ERRNO.ENOMEM;
          failedAt = 'vma_iter_clear_gfp';
          break;
        }
        mm.mmMt.state(mpnt.vmStart, mpnt.vmEnd - 1).storeGfp(undefined, 'kernel');
        vmaIterSet(vmi, mpnt.vmEnd);
        mm.statAccount(mpnt.vmFlags, -mpnt.pages);
        continue;
      }
      let charge = 0;
      // 6.8–6.18: "don't duplicate many vmas if we've been oom-killed".
      if (config.recovery === 'xa-zero' && (yield* fatalSignalPending(options, k))) {
        retval = MM_ERRNO.EINTR;
        failedAt = 'fatal_signal_pending';
        break;
      }
      // The error labels of the kernel's loop, in fall-through order.
      let failure: 'fail_nomem' | 'fail_nomem_policy' | 'fail_nomem_anon_vma_fork' | null = null;
      let tmp: Vma | null = null;
      if (mpnt.vmFlags & VM_ACCOUNT) {
        if (!(yield alloc('security_vm_enough_memory_mm', `${here}: security_vm_enough_memory_mm`))) {
          failure = 'fail_nomem';
          failedAt = 'security_vm_enough_memory_mm';
        } else {
          charge = mpnt.pages;
          kernel.committed += charge;
          mm.accounted += charge;
        }
      }
      if (!failure && !(yield alloc('vm_area_dup', `${here}: vm_area_dup`))) {
        failure = 'fail_nomem';
        failedAt = 'vm_area_dup';
      }
      if (!failure) {
        tmp = copyVma(mpnt);
        if (mpnt.policy) {
          if (!(yield alloc('vma_dup_policy', `${here}: vma_dup_policy → mpol_dup`))) {
            failure = 'fail_nomem_policy';
            failedAt = 'vma_dup_policy';
          } else {
            tmp.policy = new MemPolicy(kernel, mpnt.policy.mode);
          }
        }
      }
      if (!failure && tmp) {
        tmp.vmMm = mm;
        if ((yield* dupUserfaultfd(tmp, mm, uf, here)) !== 0) {
          failure = 'fail_nomem_anon_vma_fork';
          failedAt = 'dup_userfaultfd';
        } else if (tmp.vmFlags & VM_WIPEONFORK) {
          tmp.anonVma = null;
        } else if ((yield* anonVmaFork(tmp, mpnt, here)) !== 0) {
          failure = 'fail_nomem_anon_vma_fork';
          failedAt = 'anon_vma_fork';
        }
      }
      if (failure) {
        if (tmp) {
          if (failure === 'fail_nomem_anon_vma_fork' && tmp.policy && tmp.policy !== mpnt.policy) {
            tmp.policy.refs--;
            if (tmp.policy.refs === 0) kfree(tmp.policy, `mpol_put (${here})`);
          }
          kfree(tmp, `vm_area_free (${here})`);
        }
        retval = MM_ERRNO.ENOMEM;
        kernel.committed -= charge;
        mm.accounted -= charge;
        break;
      }
      const copy = tmp!;
      copy.vmFlags &= ~VM_LOCKED_MASK;
      // vma_iter_bulk_store: overwrite the parent's pointer in the child's slot; no allocation.
      vmi.setRange(copy.vmStart, copy.vmEnd - 1);
      vmi.storeGfp(copy, 'kernel');
      vmaIterSet(vmi, copy.vmEnd);
      copy.detached = false;
      mm.mapCount++;
      const file = copy.vmFile;
      if (file) {
        if (file.vmOps?.counted) file.opened++;
        file.refs++;
        yield* iMmapLockWrite(file.mapping, here);
        if (copy.isSharedMaywrite) file.mapping.writable++;
        file.mapping.iMmap.add(copy);
        yield* iMmapUnlockWrite(file.mapping, here);
      }
      if (!(copy.vmFlags & VM_WIPEONFORK)) {
        retval = yield* copyPageRange(copy, mpnt, here);
        if (retval) {
          failedAt = 'copy_page_range';
          const next = vmaNext(vmi);
          mpnt = next === undefined ? null : use(next as Vma, fn);
          break loop;
        }
      }
    }
    if (retval === 0) {
      mpnt = null;
      if (options.ldt && !(yield alloc('arch_dup_mmap', `${fn}: arch_dup_mmap → ldt_dup_context`))) {
        retval = MM_ERRNO.ENOMEM;
        failedAt = 'arch_dup_mmap';
      }
    }
    if (retval === 0) {
      mm.mmMt.setRcu(true);
      // ksm_fork and khugepaged_fork: only a complete child is registered.
      mm.ksmRegistered = oldmm.ksmRegistered;
      mm.khugepagedRegistered = oldmm.khugepagedRegistered;
    } else if (config.recovery === 'xa-zero') {
      yield* recoverXaZero(mm, mpnt);
    } else {
      yield* recoverTeardown(mm, mpnt);
    }
  }
  yield* mmapWriteUnlock(mm, fn);
  yield* mmapWriteUnlock(oldmm, fn);
  if (retval === 0 || !config.uffdFailOnError) {
    // dup_userfaultfd_complete. (The kernel's fork then waits until the monitor has read each event;
    // the model lets fork run on, and the explorer tries the monitor at every point after.)
    for (const f of uf) kernel.uffdEvents.push({ parent: f.orig, child: f.ctx });
    if (uf.length > 0) yield write('uffd_events', `${fn}: dup_userfaultfd_complete`);
  } else {
    for (const f of uf) {
      kfree(f.ctx, `dup_userfaultfd_fail (${fn})`);
      mmdrop(mm, `dup_userfaultfd_fail (${fn})`);
    }
  }
  if (!config.uprobeSemInDupMm) yield unlock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_end_dup_mmap`);
  return { retval, failedAt, mpnt: retval === 0 ? null : mpnt };
}

/** 6.8–6.18: store XA_ZERO_ENTRY over the failing VMA's range; exit_mmap will stop there. */
function* recoverXaZero(mm: Mm, mpnt: Vma | null): Task {
  const fn = 'dup_mmap (xa-zero recovery)';
  if (mpnt) {
    mm.mmMt.state(mpnt.vmStart, mpnt.vmEnd - 1).storeGfp(ZERO_ENTRY, 'kernel');
    yield write(`${mm.name}.mm_mt`, `${fn}: mas_store(XA_ZERO_ENTRY) over [0x${mpnt.vmStart.toString(16)}, 0x${mpnt.vmEnd.toString(16)})`);
    if (mm.kernel.config.failureFlags) mm.setFlag(MMF_OOM_SKIP);
  }
  if (mm.kernel.config.failureFlags) mm.setFlag(MMF_UNSTABLE);
}

/** 7.0: unmap and free everything copied so far, empty the tree, then mark the mm. */
function* recoverTeardown(mm: Mm, mpnt: Vma | null): Task {
  const fn = 'dup_mmap (teardown recovery)';
  const end = mm.mapCount === 0 ? 0 : mpnt ? mpnt.vmStart : MAX_INDEX;
  mm.setFlag(MMF_OOM_SKIP);
  if (end !== 0) {
    const vmi = vmaIter(mm, 0);
    const tmp = derefVma(vmaNext(vmi), mm, 'vm_start', fn);
    const unmap = unmapState(vmi, tmp, 0, end, null, null);
    unmap.treeEnd = end;
    yield* unmapRegion(mm, unmap, fn);
    const charge = tearDownVmas(mm, vmi, tmp, end, fn);
    vmUnacctMemory(mm, charge);
  }
  mm.mmMt.destroy();
  yield write(`${mm.name}.mm_mt`, `${fn}: __mt_destroy`);
  mm.setFlag(MMF_UNSTABLE);
}
