/**
 * fork's copy of the address space: dup_mm and dup_mmap, with every failure point of the kernel's
 * loop; the failure path runs the configured recovery — 'xa-zero' (6.8–6.18, recovery-xa-zero.ts),
 * 'teardown' (7.0, recovery-teardown.ts) or the proposed 'partial' (recovery-partial.ts). The kernel configuration also selects the loop's order, where the ksm/khugepaged hooks
 * run, how the fatal signal is seen, and the fixes around it (config.ts).
 */
import { forkOptionsArg, kernelArg, mmArg, show } from './args.js';
import { alloc, choice, lock, trylock, unlock, waitUntil, write, type Task } from '../explore/protocol.js';
import type { MaState } from '../tree/state.js';
import { MMF_HAS_UPROBES, VM_ACCOUNT, VM_DONTCOPY, VM_LOCKED_MASK, VM_WIPEONFORK } from './constants.js';
import { MM_ERRNO } from './errno.js';
import { mmdrop, mmput } from './exit.js';
import { kfree, use } from './kasan.js';
import type { Kernel, UffdForkEvent } from './kernel.js';
import { mmSlotEnter } from './mm-slot.js';
import { vmaLinkFile } from './vma-link.js';
import { DUP_MMAP_SEM, mmapWriteLock, mmapWriteLockKillable, mmapWriteUnlock, vmaLockId } from './locks.js';
import { copyPageRange } from './memory.js';
import type { Mm } from './mm.js';
import { anonVmaFork } from './rmap.js';
import { recoverPartial, type PartialOutcome } from './recovery-partial.js';
import { recoverTeardown } from './recovery-teardown.js';
import { recoverXaZero } from './recovery-xa-zero.js';
import { mpolPut, vmAcctMemory, vmUnacctMemory } from './accounting.js';
import { derefVma, MemPolicy, UffdCtx, vmAreaDup, type Vma } from './vma.js';
import { vmaIter, vmaIterSet, vmaNext } from './vma-iter.js';
import { createMm } from './mm.js';
import { fieldId } from './names.js';

export interface ForkOptions {
  /** A fatal signal is pending from the k-th VMA the loop visits on (0-based); null for none. */
  readonly signalAtVma?: number | null;
  /** A fatal signal is pending before dup_mmap locks the parent (and so at every VMA after). */
  readonly signalAtLock?: boolean;
  /** Let the explorer choose at every fatal_signal_pending check (a choice op). */
  readonly signalChoice?: boolean;
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
  /** A fatal signal was pending when dup_mmap returned (copy_process then fails a complete fork too). */
  readonly signalPending: boolean;
  /** What the partial recovery did, under that recovery. */
  readonly partial?: PartialOutcome;
}

/** What the loop has seen of the fatal signal so far. */
interface SignalState {
  pending: boolean;
}

/** dup_mm: allocate and initialise the child's mm and copy the address space into it. */
export function* dupMm(kernel: Kernel, oldmm: Mm, options: ForkOptions = {}, outcome?: { value?: DupMmapOutcome }): Task<Mm | null> {
  kernelArg('dup_mm', kernel);
  mmArg('dup_mm', oldmm, 'oldmm');
  forkOptionsArg('dup_mm', options);
  if (outcome !== undefined && (typeof outcome !== 'object' || outcome === null)) throw new TypeError(`dup_mm: outcome must be an object, got ${show(outcome)}`);
  const fn = 'dup_mm';
  const mm = yield* dupMmInit(kernel, oldmm);
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
function* dupMmInit(kernel: Kernel, oldmm: Mm): Task<Mm | null> {
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
  mm.forkChild = true;
  return mm;
}

/** fatal_signal_pending(current) at the loop's k-th VMA; a signal stays pending once it arrived. */
function* fatalSignalPending(options: ForkOptions, signal: SignalState, k: number): Task<boolean> {
  if (signal.pending) return true;
  if (options.signalChoice) signal.pending = ((yield choice('fatal_signal_pending', 2, `dup_mmap: fatal_signal_pending (VMA ${k})`)) as number) === 1;
  else signalPendingAt(options, signal, k);
  return signal.pending;
}

/** fatalSignalPending when the explorer does not choose (no step): the loop asks at every VMA, so no generator. */
function signalPendingAt(options: ForkOptions, signal: SignalState, k: number): boolean {
  if (!signal.pending) signal.pending = options.signalAtLock === true || (options.signalAtVma !== undefined && options.signalAtVma !== null && k >= options.signalAtVma);
  return signal.pending;
}

/**
 * ksm_fork and khugepaged_fork: a parent registered with ksmd (MMF_VM_MERGEABLE) or khugepaged
 * (MMF_VM_HUGEPAGE) has the child registered too, each with an mm_slot holding an mm_count
 * reference. Before 985da552a98e ksm_fork's allocation failure failed the fork (its return value was
 * checked); after it, as khugepaged_fork's always, the failure only leaves the child unregistered.
 */
function* forkScannerHooks(mm: Mm, oldmm: Mm, who: string, ksmFailureFails: boolean): Task<number> {
  const kernel = mm.kernel;
  if (oldmm.ksmRegistered) {
    if (yield alloc('ksm_fork', `${who}: ksm_fork → __ksm_enter → mm_slot_alloc`)) yield* mmSlotEnter(kernel.ksm, mm, `${who}: ksm_fork`);
    else if (ksmFailureFails) return MM_ERRNO.ENOMEM;
  }
  if (oldmm.khugepagedRegistered && (yield alloc('khugepaged_fork', `${who}: khugepaged_fork → __khugepaged_enter → mm_slot_alloc`))) {
    yield* mmSlotEnter(kernel.khugepaged, mm, `${who}: khugepaged_fork`);
  }
  return 0;
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
  const signal: SignalState = { pending: options.signalAtLock === true };
  if (!config.uprobeSemInDupMm) yield lock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_start_dup_mmap`);
  if (!(yield* mmapWriteLockKillable(oldmm, fn, signal.pending))) {
    // fail_uprobe_end: nothing was copied or locked.
    if (!config.uprobeSemInDupMm) yield unlock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_end_dup_mmap`);
    return { retval: MM_ERRNO.EINTR, failedAt: 'mmap_write_lock_killable', mpnt: null, signalPending: true };
  }
  // 7.0's vma_start_write_killable: the parent VMAs this fork write-locked, released with the mmap lock.
  const vmaLocks: Vma[] = [];
  if (oldmm.testFlag(MMF_HAS_UPROBES)) mm.setFlag(MMF_HAS_UPROBES);
  yield mmapWriteLock(mm, `${fn} (nested)`);
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
  let partial: PartialOutcome | undefined;
  // Before 985da552a98e the scanners' hooks ran here, before anything was copied.
  if (config.ksmKhugepagedEarly) {
    retval = yield* forkScannerHooks(mm, oldmm, fn, true);
    if (retval) failedAt = 'ksm_fork';
  }
  if (retval) {
    // goto out: nothing was copied, so there is no failure point to mark.
  } else if (!(yield alloc('__mt_dup', `${fn}: __mt_dup`))) {
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
      if (config.vmaStartWriteKillable) {
        // 7.0: the write lock waits for per-VMA-lock readers, and gives up only if a fatal signal
        // arrives while it waits; the loop itself no longer checks for one.
        const arrived = options.signalChoice ? yield* fatalSignalPending(options, signal, k) : signalPendingAt(options, signal, k);
        if (!(yield trylock(vmaLockId(mpnt), 'write', `${here}: vma_start_write_killable`))) {
          if (arrived) {
            retval = MM_ERRNO.EINTR;
            failedAt = 'vma_start_write_killable';
            break;
          }
          yield lock(vmaLockId(mpnt), 'write', `${here}: vma_start_write_killable (waits for readers)`);
        }
        vmaLocks.push(mpnt);
      } else {
        yield write(fieldId(mpnt.name, 'vm_lock_seq'), `${here}: vma_start_write`);
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
      if (!config.vmaStartWriteKillable && (options.signalChoice ? yield* fatalSignalPending(options, signal, k) : signalPendingAt(options, signal, k))) {
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
          vmAcctMemory(mm, charge);
        }
      }
      if (!failure && !(yield alloc('vm_area_dup', `${here}: vm_area_dup`))) {
        failure = 'fail_nomem';
        failedAt = 'vm_area_dup';
      }
      if (!failure) {
        tmp = vmAreaDup(mpnt);
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
        // A VMA without a context (most) needs no generator, nor does anon_vma_fork of a parent
        // VMA without an anon_vma (it returns at once).
        if (tmp.uffdCtx !== null && (yield* dupUserfaultfd(tmp, mm, uf, here)) !== 0) {
          failure = 'fail_nomem_anon_vma_fork';
          failedAt = 'dup_userfaultfd';
        } else if (tmp.vmFlags & VM_WIPEONFORK) {
          tmp.anonVma = null;
        } else if (mpnt.anonVma !== null && (yield* anonVmaFork(tmp, mpnt, here)) !== 0) {
          failure = 'fail_nomem_anon_vma_fork';
          failedAt = 'anon_vma_fork';
        }
      }
      if (failure) {
        if (tmp) {
          if (failure === 'fail_nomem_anon_vma_fork' && tmp.policy && tmp.policy !== mpnt.policy) mpolPut(tmp.policy, here);
          kfree(tmp, `vm_area_free (${here})`);
        }
        retval = MM_ERRNO.ENOMEM;
        vmUnacctMemory(mm, charge);
        break;
      }
      const copy = tmp!;
      copy.vmFlags &= ~VM_LOCKED_MASK;
      if (config.loopOrder === 'link-file-first') {
        // Before 35e351780fa9: get_file and the i_mmap insert, the tree store, copy_page_range, and
        // ->open last (also when the copy failed).
        if (copy.vmFile) yield* dupLinkFile(copy, here);
        bulkStore(mm, vmi, copy);
        if (!(copy.vmFlags & VM_WIPEONFORK)) retval = yield* copyPageRange(copy, mpnt, here);
        vmaOpen(copy);
      } else {
        // 35e351780fa9 on: the tree store, ->open, then the file link, then copy_page_range.
        bulkStore(mm, vmi, copy);
        vmaOpen(copy);
        if (copy.vmFile) yield* dupLinkFile(copy, here);
        if (!(copy.vmFlags & VM_WIPEONFORK)) retval = yield* copyPageRange(copy, mpnt, here);
      }
      if (retval) {
        failedAt = 'copy_page_range';
        const next = vmaNext(vmi);
        mpnt = next === undefined ? null : use(next as Vma, fn);
        break loop;
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
      // 985da552a98e on: ksm_fork and khugepaged_fork register only a complete child.
      if (!config.ksmKhugepagedEarly) yield* forkScannerHooks(mm, oldmm, fn, false);
    } else if (config.recovery === 'xa-zero') {
      yield* recoverXaZero(mm, mpnt);
    } else if (config.recovery === 'teardown') {
      yield* recoverTeardown(mm, mpnt);
    } else {
      partial = yield* recoverPartial(mm, oldmm, mpnt);
    }
  }
  yield mmapWriteUnlock(mm, fn);
  // mmap_write_unlock → vma_end_write_all: the parent's VMA write locks go with the mmap lock.
  for (const vma of vmaLocks) yield unlock(vmaLockId(vma), 'write', `${fn}: vma_end_write_all (${vma.toString()})`);
  yield mmapWriteUnlock(oldmm, fn);
  if (retval === 0 || !config.uffdFailOnError) yield* dupUserfaultfdComplete(mm, uf, signal.pending);
  else for (const f of uf) releaseUffdCtx(mm, f.ctx, `dup_userfaultfd_fail (${fn})`);
  if (!config.uprobeSemInDupMm) yield unlock(DUP_MMAP_SEM, 'read', `${fn}: uprobe_end_dup_mmap`);
  return { retval, failedAt, mpnt: retval === 0 ? null : mpnt, signalPending: signal.pending, ...(partial ? { partial } : {}) };
}

/** vma_iter_bulk_store: overwrite the parent's pointer in the child's slot (no allocation). */
function bulkStore(mm: Mm, vmi: MaState, copy: Vma): void {
  vmi.setRange(copy.vmStart, copy.vmEnd - 1);
  vmi.storeGfp(copy, 'kernel');
  vmaIterSet(vmi, copy.vmEnd);
  copy.detached = false;
  mm.mapCount++;
}

/** vm_ops->open on the copy. */
function vmaOpen(copy: Vma): void {
  if (copy.vmFile?.vmOps?.counted) copy.vmFile.opened++;
}

/**
 * get_file and the i_mmap insert of a file-backed copy (vma_link_file). A plain function handing
 * back vma_link_file's task: `yield*` on it delegates straight to that generator, where a generator
 * of its own would add one to every step of the insert (get_file runs as the caller's yield* starts).
 */
function dupLinkFile(copy: Vma, who: string): Task {
  if (copy.vmFile) copy.vmFile.refs++;
  return vmaLinkFile(copy, who);
}

/**
 * A withdrawn fork event's new context (userfaultfd_release_new): the child's VMAs still point at
 * it, so the forking task walks the child's tree under its mmap lock and clears them, then puts the
 * context. Before f64e67e5d3a4 this ran on a failed fork too, over a tree holding the marker.
 */
function* userfaultfdReleaseNew(mm: Mm, ctx: UffdCtx, who: string): Task {
  yield mmapWriteLock(mm, who);
  mm.kernel.noteReach(mm, 'uffd-withdraw');
  const vmi = vmaIter(mm, 0);
  for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) {
    const vma = derefVma(slot, mm, 'vm_userfaultfd_ctx', who);
    if (vma.uffdCtx === ctx) vma.uffdCtx = null;
  }
  yield mmapWriteUnlock(mm, who);
  releaseUffdCtx(mm, ctx, `userfaultfd_ctx_put (${who})`);
}

/** userfaultfd_ctx_put of a new context: it held an mm_count reference on the child. */
function releaseUffdCtx(mm: Mm, ctx: UffdCtx, who: string): void {
  kfree(ctx, who);
  mmdrop(mm, who);
}

/**
 * dup_userfaultfd_complete → userfaultfd_event_wait_completion, per fork event: with a fatal signal
 * pending the event is withdrawn before the monitor can read it (and the new context released);
 * otherwise fork sleeps until the monitor has read it.
 */
function* dupUserfaultfdComplete(mm: Mm, uf: readonly UffdForkCtx[], signalPending: boolean): Task {
  const fn = 'dup_userfaultfd_complete';
  for (const f of uf) {
    if (signalPending) {
      yield* userfaultfdReleaseNew(mm, f.ctx, `${fn} → userfaultfd_event_wait_completion: fatal signal, event withdrawn`);
      continue;
    }
    const event: UffdForkEvent = { parent: f.orig, child: f.ctx, read: false };
    mm.kernel.uffdEvents.push(event);
    yield write('uffd_events', `${fn}: queue UFFD_EVENT_FORK`);
    yield waitUntil('uffd_events', () => event.read, `${fn}: userfaultfd_event_wait_completion`);
  }
}
