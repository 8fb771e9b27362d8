/**
 * A copy of a whole model kernel: every mm with its VMA tree, VMAs, anon_vmas and chains, page
 * tables and pages, files with their i_mmap and page cache, the swap device, the mmlist and the
 * scanners' lists, and the id counters, so the copy names its next object exactly as the original
 * would. The study builds a parent once and gives each execution a copy, instead of building it
 * again through the syscalls every time. There is no kernel function for this: it stands for
 * "the same machine, booted into the same state".
 *
 * Every object is made by its own constructor (so it has the shape the model's code sees), then
 * given the original's name and state. A kind of object this file does not know is refused.
 */
import { dupTree } from '../tree/dup.js';
import { MapleTree } from '../tree/tree.js';
import { AnonVma, AnonVmaChain } from './anon-vma.js';
import { kernelArg } from './args.js';
import { File } from './file.js';
import { KObject } from './kasan.js';
import { Kernel, type UffdForkEvent } from './kernel.js';
import { Mm } from './mm.js';
import type { MmSlotList } from './mm-slot.js';
import type { Page, Pte } from './page-table.js';
import { MemPolicy, UffdCtx, Vma, type VmaSlot } from './vma.js';

export interface KernelCopy {
  readonly kernel: Kernel;
  /** The copy of one of the original's mms. */
  mm(original: Mm): Mm;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

class Copier {
  readonly kernel: Kernel;
  readonly #objects = new Map<KObject, KObject>();
  readonly #pages = new Map<Page, Page>();
  readonly #files = new Map<File, File>();

  constructor(readonly from: Kernel) {
    this.kernel = new Kernel(from.config);
  }

  object<T extends KObject>(o: T): T {
    const done = this.#objects.get(o);
    if (done !== undefined) return done as T;
    let copy: KObject;
    if (o instanceof Vma) copy = this.#vma(o);
    else if (o instanceof Mm) copy = this.#mm(o);
    else if (o instanceof AnonVma) copy = this.#anonVma(o);
    else if (o instanceof AnonVmaChain) copy = this.#chain(o);
    else if (o instanceof MemPolicy) {
      const c = this.#adopt(o, new MemPolicy(this.kernel, o.mode));
      c.refs = o.refs;
      copy = c;
    }
    else if (o instanceof UffdCtx) copy = this.#uffdCtx(o);
    else throw new RangeError(`copyKernel: cannot copy a ${o.kind} (${o.name}): kernel-copy.ts does not know its fields`);
    return copy as T;
  }

  /** Registers `copy` as the copy of `o` under o's name, for the caller to fill in (no closure per object). */
  #adopt<T extends KObject>(o: T, copy: T): T {
    (copy as Writable<KObject>).name = o.name;
    copy.freedAt = o.freedAt;
    this.#objects.set(o, copy);
    return copy;
  }

  #mm(o: Mm): Mm {
    const c = this.#adopt(o, new Mm(this.kernel));
    c.mmMt = this.#tree(o.mmMt, c.mmMt);
    c.mapCount = o.mapCount;
    c.flags = o.flags;
    c.mmUsers = o.mmUsers;
    c.mmCount = o.mmCount;
    c.onMmlist = o.onMmlist;
    // forEach here and below: a for-of over a Map's entries makes an array per entry.
    o.pt.ptes.forEach((pte, pfn) => c.pt.ptes.set(pfn, this.#pte(pte)));
    for (const table of o.pt.tables) c.pt.tables.add(table);
    c.pt.anonPages = o.pt.anonPages;
    c.pt.filePages = o.pt.filePages;
    c.pt.swapEntries = o.pt.swapEntries;
    c.totalVm = o.totalVm;
    c.lockedVm = o.lockedVm;
    c.dataVm = o.dataVm;
    c.execVm = o.execVm;
    c.stackVm = o.stackVm;
    c.accounted = o.accounted;
    c.mmapBase = o.mmapBase;
    c.startBrk = o.startBrk;
    c.brk = o.brk;
    c.startStack = o.startStack;
    c.exeFile = o.exeFile && this.file(o.exeFile);
    c.gateArea = o.gateArea;
    c.ksmRegistered = o.ksmRegistered;
    c.khugepagedRegistered = o.khugepagedRegistered;
    c.exited = o.exited;
    c.forkChild = o.forkChild;
    return c;
  }

  /** The same node shapes (__mt_dup into the new mm's empty tree), each VMA slot pointed at the VMA's copy as it is copied. */
  #tree(o: MapleTree<VmaSlot>, empty: MapleTree<VmaSlot>): MapleTree<VmaSlot> {
    const copy = empty.isAlloc === o.isAlloc ? empty : new MapleTree<VmaSlot>({ allocRange: o.isAlloc });
    dupTree(o as MapleTree, copy as MapleTree, 'kernel', this.#slot);
    copy.setRcu(o.rcu);
    return copy;
  }

  /** A tree slot's copy: the copy of the VMA in it, anything else (XA_ZERO_ENTRY) as it is. */
  readonly #slot = (slot: unknown): unknown => (slot instanceof KObject ? this.object(slot) : slot);

  #vma(o: Vma): Vma {
    // Its mm's tree and its file's i_mmap lead back here: copying them may have copied it already.
    const mm = this.object(o.vmMm);
    const file = o.vmFile && this.file(o.vmFile);
    const done = this.#objects.get(o);
    if (done !== undefined) return done as Vma;
    const c = this.#adopt(o, new Vma(this.kernel, mm, o.vmStart, o.vmEnd, o.vmFlags, o.vmPgoff, file));
    c.anonVma = o.anonVma && this.object(o.anonVma);
    for (const avc of o.anonVmaChain) c.anonVmaChain.push(this.object(avc));
    c.policy = o.policy && this.object(o.policy);
    c.uffdCtx = o.uffdCtx && this.object(o.uffdCtx);
    c.detached = o.detached;
    c.anonName = o.anonName;
    return c;
  }

  #anonVma(o: AnonVma): AnonVma {
    const c = this.#adopt(o, new AnonVma(this.kernel));
    c.root = this.object(o.root);
    c.parent = this.object(o.parent);
    c.refcount = o.refcount;
    for (const avc of o.chains) c.chains.add(this.object(avc));
    c.numChildren = o.numChildren;
    c.numActiveVmas = o.numActiveVmas;
    return c;
  }

  #chain(o: AnonVmaChain): AnonVmaChain {
    // The chain's VMA and anon_vma each list it: copying them may have copied it already.
    const vma = this.object(o.vma);
    const anonVma = this.object(o.anonVma);
    const done = this.#objects.get(o);
    if (done !== undefined) return done as AnonVmaChain;
    return this.#adopt(o, new AnonVmaChain(this.kernel, vma, anonVma));
  }

  #uffdCtx(o: UffdCtx): UffdCtx {
    const mm = this.object(o.mm);
    const done = this.#objects.get(o);
    if (done !== undefined) return done as UffdCtx;
    return this.#adopt(o, new UffdCtx(this.kernel, mm, o.forkEvents));
  }

  #pte(pte: Pte): Pte {
    return pte.kind === 'swap' ? pte : { kind: 'present', page: this.page(pte.page) };
  }

  page(o: Page): Page {
    let copy = this.#pages.get(o);
    if (copy === undefined) {
      copy = { id: o.id, anon: o.anon, mapcount: o.mapcount };
      this.#pages.set(o, copy);
    }
    return copy;
  }

  file(o: File): File {
    let copy = this.#files.get(o);
    if (copy !== undefined) return copy;
    copy = new File(o.path, o.inode, o.size, o.vmOps);
    this.#files.set(o, copy);
    copy.refs = o.refs;
    copy.opened = o.opened;
    copy.dev = o.dev;
    copy.inodeNumber = o.inodeNumber;
    o.pageCache.forEach((page, pgoff) => copy.pageCache.set(pgoff, this.page(page)));
    for (const vma of o.mapping.iMmap) copy.mapping.iMmap.add(this.object(vma));
    copy.mapping.writable = o.mapping.writable;
    return copy;
  }

  slots(from: MmSlotList, to: MmSlotList): void {
    for (const mm of from.mms) to.mms.push(this.object(mm));
    to.scanning = from.scanning && this.object(from.scanning);
  }
}

/** A copy of `kernel` and everything it holds, independent of it, in the same state. */
export function copyKernel(kernel: Kernel): KernelCopy {
  kernelArg('copyKernel', kernel);
  const c = new Copier(kernel);
  const to = c.kernel;
  // Each copy is named after its original and registered once, below, in the originals' order.
  to.adopting = true;
  try {
    copyInto(kernel, c);
  } finally {
    to.adopting = false;
  }
  // The leak check reports in the live set's order; tombstones stay out.
  for (const obj of kernel.live) to.live.add(c.object(obj));
  return { kernel: to, mm: (original) => c.object(original) };
}

function copyInto(kernel: Kernel, c: Copier): void {
  const to = c.kernel;
  kernel.files.forEach((file, path) => to.files.set(path, c.file(file)));
  for (const obj of kernel.live) c.object(obj);
  for (const mm of kernel.mmlist) to.mmlist.push(c.object(mm));
  for (const mm of kernel.oomVictims) to.oomVictims.push(c.object(mm));
  c.slots(kernel.ksm, to.ksm);
  c.slots(kernel.khugepaged, to.khugepaged);
  for (const e of kernel.uffdEvents) {
    const event: UffdForkEvent = { parent: c.object(e.parent), child: c.object(e.child), read: e.read };
    to.uffdEvents.push(event);
  }
  for (const who of kernel.reached) to.reached.add(who);
  kernel.swapCache.forEach((page, slot) => to.swapCache.set(slot, c.page(page)));
  to.swap.copyFrom(kernel.swap);
  to.deferForeignVma = kernel.deferForeignVma;
  to.foreignVmaRead = kernel.foreignVmaRead;
  to.committed = kernel.committed;
  to.anonPages = kernel.anonPages;
  to.copyCountersFrom(kernel);
}
