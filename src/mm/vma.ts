/**
 * vm_area_struct, and the checks a walker's dereference of a tree slot goes through: the model's
 * KASAN and BUG_ON for "this slot is not one of my VMAs".
 */
import { ZERO_ENTRY } from '../tree/entry.js';
import { ModelViolation } from '../explore/protocol.js';
import type { AnonVma, AnonVmaChain } from './anon-vma.js';
import type { VmaLayout } from './config.js';
import { PAGE_SIZE, VM_HUGETLB, VM_MAYSHARE, VM_MAYWRITE, VM_SHARED } from './constants.js';
import type { File } from './file.js';
import { booleanArg, checkedRegistry, fileArg, indexArg, mmArg, registryArg, show, stringArg, userRangeArg, whoArg } from './args.js';
import { KObject, use, type ObjectRegistry } from './kasan.js';
import type { Mm } from './mm.js';

/** A NUMA memory policy (struct mempolicy), shared by reference and copied by vma_dup_policy. */
export class MemPolicy extends KObject {
  refs = 1;
  constructor(registry: ObjectRegistry, readonly mode: string) {
    super(checkedRegistry('MemPolicy', registry, () => stringArg('MemPolicy', 'mode', mode)), 'mempolicy');
  }
}

/** A userfaultfd context (struct userfaultfd_ctx); it holds an mm_count reference (mmgrab) on its mm. */
export class UffdCtx extends KObject {
  constructor(registry: ObjectRegistry, readonly mm: Mm, readonly forkEvents: boolean) {
    super(checkedRegistry('UffdCtx', registry, () => {
      mmArg('UffdCtx', mm);
      booleanArg('UffdCtx', 'forkEvents', forkEvents);
    }), 'userfaultfd_ctx');
  }
}

export class Vma extends KObject {
  vmStart: number;
  vmEnd: number;
  /** vm_pgoff: offset into the file in pages (for anonymous VMAs, vm_start >> PAGE_SHIFT). */
  vmPgoff: number;
  vmFlags: number;
  vmFile: File | null;
  anonVma: AnonVma | null = null;
  readonly anonVmaChain: AnonVmaChain[] = [];
  vmMm: Mm;
  policy: MemPolicy | null = null;
  uffdCtx: UffdCtx | null = null;
  /** vma_mark_detached: no longer in any tree. */
  detached = true;
  /** anon_vma_name or the kernel's special names ([heap], [stack]) for maps output. */
  anonName: string | null = null;

  constructor(registry: ObjectRegistry, mm: Mm, start: number, end: number, flags: number, pgoff: number, file: File | null) {
    // Checked before super(), in place: a closure for checkedRegistry per VMA made is a cost the
    // study pays twice per VMA per execution (the parent's copy and the child's vm_area_dup).
    registryArg('Vma', registry);
    mmArg('Vma', mm);
    userRangeArg('Vma', start, end);
    indexArg('Vma', 'flags', flags);
    indexArg('Vma', 'pgoff', pgoff);
    fileArg('Vma', file, true);
    super(registry, 'vma');
    this.vmMm = mm;
    this.vmStart = start;
    this.vmEnd = end;
    this.vmFlags = flags;
    this.vmPgoff = pgoff;
    this.vmFile = file;
  }

  get pages(): number {
    return (this.vmEnd - this.vmStart) / PAGE_SIZE;
  }

  /** vma_is_anonymous: no file behind it. */
  get isAnonymous(): boolean {
    return this.vmFile === null;
  }

  /** vma_is_shared_maywrite */
  get isSharedMaywrite(): boolean {
    return (this.vmFlags & (VM_SHARED | VM_MAYWRITE)) === (VM_SHARED | VM_MAYWRITE);
  }

  get isHugetlb(): boolean {
    return (this.vmFlags & VM_HUGETLB) !== 0;
  }

  get mayShare(): boolean {
    return (this.vmFlags & VM_MAYSHARE) !== 0;
  }

  #label = '';
  #labelStart = -1;
  #labelEnd = -1;

  /** `vma#3[0x1000-0x2000]`, cached: traces label every step with it. */
  override toString(): string {
    if (this.#labelStart !== this.vmStart || this.#labelEnd !== this.vmEnd) {
      this.#label = vmaLabel(this.name, this.vmStart, this.vmEnd);
      this.#labelStart = this.vmStart;
      this.#labelEnd = this.vmEnd;
    }
    return this.#label;
  }
}

/**
 * The labels made so far, by VMA name: every execution of a study copies the same parent, so its
 * VMAs (and the children's, named alike) keep being labelled with the same strings.
 */
const LABELS = new Map<string, { readonly start: number; readonly end: number; readonly label: string }>();

function vmaLabel(name: string, start: number, end: number): string {
  const known = LABELS.get(name);
  if (known !== undefined && known.start === start && known.end === end) return known.label;
  const label = `${name}[0x${start.toString(16)}-0x${end.toString(16)}]`;
  LABELS.set(name, { start, end, label });
  return label;
}

/**
 * vm_area_dup: a copy of `vma` (same mm, range, flags, file, anon_vma, policy and uffd context), not
 * yet in any tree, rmap or file. The caller takes its own policy and anon_vma chains after.
 */
export function vmAreaDup(vma: Vma): Vma {
  const copy = new Vma(vma.registry, vma.vmMm, vma.vmStart, vma.vmEnd, vma.vmFlags, vma.vmPgoff, vma.vmFile);
  copy.anonVma = vma.anonVma;
  copy.policy = vma.policy;
  copy.uffdCtx = vma.uffdCtx;
  copy.anonName = vma.anonName;
  return copy;
}

/** What a tree slot of mm_mt can hold: a VMA, or XA_ZERO_ENTRY as the advanced API returns it. */
export type VmaSlot = Vma | typeof ZERO_ENTRY;

/**
 * Byte offsets of the vm_area_struct fields walkers read, for the fault address a dereference of
 * XA_ZERO_ENTRY (0x406) produces. The leading fields are the same from 6.8 to 7.0; the rest move
 * with the kernel's layout (config.ts: anon_vma at 0x70, 0x68 or 0x40 — the swapoff oops's 0x446 is
 * 0x406 + 0x40, the 6.15+ layout).
 */
export type VmaField = 'vm_start' | 'vm_end' | 'vm_mm' | 'vm_flags' | 'anon_vma' | 'vm_userfaultfd_ctx';
export const VMA_FIELDS: readonly VmaField[] = ['vm_start', 'vm_end', 'vm_mm', 'vm_flags', 'anon_vma', 'vm_userfaultfd_ctx'];

export function vmaFieldOffset(field: VmaField, layout: VmaLayout): number {
  if (!VMA_FIELDS.includes(field)) throw new RangeError(`vmaFieldOffset: field must be one of ${VMA_FIELDS.join(', ')}, got ${show(field)}`);
  if (typeof layout !== 'object' || layout === null || typeof layout.anon_vma !== 'number' || typeof layout.vm_userfaultfd_ctx !== 'number') {
    throw new TypeError(`vmaFieldOffset: layout must be a VmaLayout (anon_vma, vm_userfaultfd_ctx offsets), got ${show(layout)}`);
  }
  switch (field) {
    case 'vm_start': return 0x0;
    case 'vm_end': return 0x8;
    case 'vm_mm': return 0x10;
    case 'vm_flags': return 0x20;
    case 'anon_vma': return layout.anon_vma;
    case 'vm_userfaultfd_ctx': return layout.vm_userfaultfd_ctx;
  }
}

/** The value of XA_ZERO_ENTRY as a pointer: xa_mk_internal(257). */
export const XA_ZERO_ADDRESS = 0x406;

/**
 * A walker of `mm` reads `field` of the VMA in a tree slot. Raises the kernel's failure for each way
 * that slot can be wrong: XA_ZERO_ENTRY (a fault at 0x406 + offset), a freed VMA (use-after-free),
 * or a VMA of another mm (the parent's VMAs beyond a dup_mmap failure point). A live foreign VMA
 * reads without a fault; while its owner may still free it (Kernel.deferForeignVma) the report is
 * recorded and the walker goes on with it, as the kernel's would.
 */
export function derefVma(slot: unknown, mm: Mm, field: VmaField, who: string): Vma {
  const vma = peekVma(slot, mm, field, who);
  if (vma.vmMm !== mm) {
    const message = `${who}: ${mm.name}'s tree returned ${vma.toString()} whose vm_mm is ${vma.vmMm.name} (a VMA the failed fork never copied)`;
    if (!mm.kernel.deferForeignVma) throw new ModelViolation('foreign-vma', message);
    mm.kernel.foreignVmaRead ??= message;
  }
  return vma;
}

/**
 * Reads `field` of a slot's VMA without claiming it belongs to `mm`: for bound checks such as
 * tear_down_vmas's `vma->vm_end <= end`, which may read a parent VMA beyond the failure point.
 */
export function peekVma(slot: unknown, mm: Mm, field: VmaField, who: string): Vma {
  mmArg('peekVma', mm);
  if (!VMA_FIELDS.includes(field)) throw new RangeError(`peekVma: field must be one of ${VMA_FIELDS.join(', ')}, got ${show(field)}`);
  whoArg('peekVma', who);
  if (slot === ZERO_ENTRY) {
    const addr = XA_ZERO_ADDRESS + vmaFieldOffset(field, mm.kernel.config.layout);
    throw new ModelViolation('null-deref',
      `Unable to handle kernel NULL pointer dereference at virtual address 0x${addr.toString(16).padStart(16, '0')}` +
      ` in ${who}: read vm_area_struct.${field} of XA_ZERO_ENTRY found in ${mm.name}'s tree`);
  }
  if (!(slot instanceof Vma)) {
    throw new ModelViolation('bad-slot', `${who}: ${mm.name}'s tree holds ${String(slot)} where a VMA was expected`);
  }
  return use(slot, who);
}
