/**
 * mm_struct: the VMA tree (a maple tree with MM_MT_FLAGS: allocation ranges and RCU), map_count,
 * the mm flags, the two reference counts, mmlist membership, page tables with rss counters, and the
 * vm counters. The life cycle generators (mmput → __mmput → exit_mmap) live in exit.ts.
 */
import { MapleTree } from '../tree/tree.js';
import { kernelArg } from './args.js';
import { decRef, kfree, KObject } from './kasan.js';
import type { Kernel } from './kernel.js';
import { PageTables } from './page-table.js';
import type { File } from './file.js';
import type { MapsLine } from './maps.js';
import type { VmaSlot } from './vma.js';
import { TASK_SIZE, VM_EXEC, VM_SHARED, VM_STACK, VM_WRITE } from './constants.js';
import { fieldId } from './names.js';

export class Mm extends KObject {
  /** mm_mt, created by mm_init with MM_MT_FLAGS (ALLOC_RANGE | USE_RCU; the lock is mmap_lock). */
  mmMt: MapleTree<VmaSlot>;
  mapCount = 0;
  /** mm->flags as a bit mask of MMF_* bit numbers. */
  flags = 0;
  /** mm_users: the users of the address space (mmget / mmput). */
  mmUsers = 1;
  /** mm_count: references to the struct itself (mmgrab / mmdrop); all users together hold one. */
  mmCount = 1;
  /** On the global mmlist (list_empty(&mm->mmlist) is false). */
  onMmlist = false;
  readonly pt = new PageTables();
  totalVm = 0;
  lockedVm = 0;
  dataVm = 0;
  execVm = 0;
  stackVm = 0;
  /** Pages this mm charged to vm_committed_as (VM_ACCOUNT mappings). */
  accounted = 0;
  /** mmap_base for top-down placement. */
  mmapBase = TASK_SIZE - 0x8000000;
  startBrk = 0;
  brk = 0;
  startStack = 0;
  exeFile: File | null = null;
  /** The [vsyscall] gate area of an imported maps file: not a VMA of the tree (get_gate_vma). */
  gateArea: MapsLine | null = null;
  /** Registered with KSM (MMF_VM_MERGEABLE) and khugepaged; fork copies these only on success. */
  ksmRegistered = false;
  khugepagedRegistered = false;
  /** Set by exit_mmap once the address space is gone; __mmdrop checks it. */
  exited = false;
  /** Made by dup_mm for a fork's child (the study tracks which walkers reach it). */
  forkChild = false;

  constructor(readonly kernel: Kernel) {
    super(kernelArg('Mm', kernel), 'mm');
    this.mmMt = new MapleTree<VmaSlot>({ allocRange: true, rcu: true });
  }

  /** The name its lock id was made for, and that id (a copy is renamed after it is made). */
  #lockName = '';
  #lockId = '';

  /** The mmap_lock rwsem's lock id in traces. */
  get lockId(): string {
    if (this.name !== this.#lockName) {
      this.#lockId = fieldId(this.name, 'mmap_lock');
      this.#lockName = this.name;
    }
    return this.#lockId;
  }

  testFlag(bit: number): boolean {
    return (this.flags & (1 << bit)) !== 0;
  }

  setFlag(bit: number): void {
    this.flags |= 1 << bit;
  }

  /** mmget */
  mmget(): void {
    if (this.mmUsers <= 0) throw new RangeError(`mmget on ${this.name} with no users`);
    this.mmUsers++;
  }

  /** mmget_not_zero: a reference only while the address space is still alive. */
  mmgetNotZero(): boolean {
    if (this.mmUsers === 0) return false;
    this.mmUsers++;
    return true;
  }

  /** mmgrab */
  mmgrab(): void {
    this.mmCount++;
  }

  /** mmdrop → __mmdrop: frees the mm_struct with its last mm_count reference. */
  mmdrop(where: string): void {
    this.mmCount = decRef(this.mmCount, fieldId(this.name, 'mm_count'));
    if (this.mmCount === 0) kfree(this, `__mmdrop (${where})`);
  }

  /** vm_stat_account: the per-kind vm counters. */
  statAccount(flags: number, npages: number): void {
    this.totalVm += npages;
    if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) === VM_EXEC) this.execVm += npages;
    else if ((flags & VM_STACK) === VM_STACK) this.stackVm += npages;
    else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) === VM_WRITE) this.dataVm += npages;
  }
}

/** mm_alloc + mm_init: a new empty mm with mm_users = mm_count = 1. */
export function createMm(kernel: Kernel): Mm {
  kernelArg('createMm', kernel);
  return new Mm(kernel);
}
