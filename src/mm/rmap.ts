/**
 * Building the anonymous rmap: anon_vma_clone, anon_vma_fork (fork links the child VMA into every
 * anon_vma of the parent VMA's family, plus a new anon_vma of its own) and anon_vma_prepare (the
 * first anonymous fault, which may reuse a neighbour's anon_vma: find_mergeable_anon_vma).
 * Every allocation is an explorer alloc op, so fault injection can fail it.
 */
import { alloc, type Task } from '../explore/protocol.js';
import { AnonVma, chainLink, getAnonVma, putAnonVma } from './anon-vma.js';
import { VM_SOFTDIRTY } from './constants.js';
import { MM_ERRNO } from './errno.js';
import { use } from './kasan.js';
import { anonVmaLockWrite, anonVmaUnlockWrite } from './locks.js';
import { unlinkAnonVmas } from './unmap.js';
import { derefVma, type Vma } from './vma.js';
import { vmaIter, vmaIterLoad } from './vma-iter.js';

/** anon_vma_clone: chain `dst` to every anon_vma `src` is chained to. */
export function* anonVmaClone(dst: Vma, src: Vma, who: string): Task<number> {
  const registry = dst.registry;
  for (const avc of [...src.anonVmaChain].reverse()) {
    if (!(yield alloc('anon_vma_clone', `${who}: anon_vma_chain_alloc`))) {
      dst.anonVma = null;
      yield* unlinkAnonVmas(dst, who);
      return MM_ERRNO.ENOMEM;
    }
    const av = use(avc.anonVma, who);
    yield anonVmaLockWrite(av.root, who);
    chainLink(registry, dst, av);
    yield anonVmaUnlockWrite(av.root, who);
  }
  return 0;
}

/** anon_vma_fork: give the child VMA the parent's anon_vma family plus a new anon_vma of its own. */
export function* anonVmaFork(vma: Vma, pvma: Vma, who: string): Task<number> {
  if (!pvma.anonVma) return 0;
  vma.anonVma = null;
  const err = yield* anonVmaClone(vma, pvma, who);
  if (err) return err;
  if (!(yield alloc('anon_vma_fork', `${who}: anon_vma_alloc`))) {
    yield* unlinkAnonVmas(vma, who);
    return MM_ERRNO.ENOMEM;
  }
  const av = new AnonVma(vma.registry);
  if (!(yield alloc('anon_vma_fork', `${who}: anon_vma_chain_alloc`))) {
    putAnonVma(av, `anon_vma_fork error path (${who})`);
    yield* unlinkAnonVmas(vma, who);
    return MM_ERRNO.ENOMEM;
  }
  const parentAv = use(pvma.anonVma, who);
  av.numActiveVmas++;
  av.root = parentAv.root;
  av.parent = parentAv;
  getAnonVma(av.root);
  vma.anonVma = av;
  yield anonVmaLockWrite(av.root, who);
  chainLink(vma.registry, vma, av);
  parentAv.numChildren++;
  yield anonVmaUnlockWrite(av.root, who);
  return 0;
}

/**
 * find_mergeable_anon_vma: reuse the anon_vma of a touching neighbour that could merge with `vma`.
 * It loads the slot at vma->vm_end through the advanced API, so an XA_ZERO_ENTRY there is read as
 * a VMA (the syzbot uprobe crash).
 */
export function findMergeableAnonVma(vma: Vma, who: string): AnonVma | null {
  const mm = vma.vmMm;
  const vmi = vmaIter(mm, vma.vmEnd);
  const nextSlot = vmaIterLoad(vmi);
  if (nextSlot !== undefined) {
    const next = derefVma(nextSlot, mm, 'vm_start', `find_mergeable_anon_vma (${who})`);
    if (anonVmaCompatible(vma, next) && next.anonVma && next.anonVmaChain.length === 1) return next.anonVma;
  }
  if (vma.vmStart > 0) {
    const prevSlot = mm.mmMt.state(vma.vmStart - 1).walk();
    if (prevSlot !== undefined) {
      const prev = derefVma(prevSlot, mm, 'vm_end', `find_mergeable_anon_vma (${who})`);
      if (anonVmaCompatible(prev, vma) && prev.anonVma && prev.anonVmaChain.length === 1) return prev.anonVma;
    }
  }
  return null;
}

/** anon_vma_compatible: `a` ends where `b` starts, same file, flags and offsets that line up. */
function anonVmaCompatible(a: Vma, b: Vma): boolean {
  return a.vmEnd === b.vmStart && a.vmFile === b.vmFile && a.policy === b.policy &&
    (a.vmFlags & ~VM_SOFTDIRTY) === (b.vmFlags & ~VM_SOFTDIRTY) &&
    b.vmPgoff === a.vmPgoff + a.pages;
}

/** __anon_vma_prepare: the first anonymous page of a VMA needs an anon_vma. */
export function* anonVmaPrepare(vma: Vma, who: string): Task<number> {
  if (vma.anonVma) return 0;
  if (!(yield alloc('anon_vma_prepare', `${who}: anon_vma_chain_alloc`))) return MM_ERRNO.ENOMEM;
  const reuse = findMergeableAnonVma(vma, who);
  let av: AnonVma;
  if (reuse) {
    av = reuse;
  } else {
    if (!(yield alloc('anon_vma_prepare', `${who}: anon_vma_alloc`))) return MM_ERRNO.ENOMEM;
    av = new AnonVma(vma.registry);
  }
  yield anonVmaLockWrite(av.root, who);
  vma.anonVma = av;
  av.numActiveVmas++;
  chainLink(vma.registry, vma, av);
  yield anonVmaUnlockWrite(av.root, who);
  return 0;
}
