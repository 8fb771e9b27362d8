/**
 * The one merge decision (vma-merge.ts) that mmap_region, vma_modify_flags and do_brk_flags share:
 * each neighbour compared as it will be once the range is cleared, the left/right anon_vma rule,
 * just_expand, and brk now refusing what is_mergeable_vma refuses (a userfaultfd-registered heap).
 */
import { describe, expect, it } from 'vitest';
import { AnonVma } from '../../src/mm/anon-vma.js';
import { PAGE_SIZE, VM_READ, VM_SOFTDIRTY, VM_WRITE } from '../../src/mm/constants.js';
import { Kernel } from '../../src/mm/kernel.js';
import { formatMaps } from '../../src/mm/maps.js';
import { createMm, type Mm } from '../../src/mm/mm.js';
import { brk } from '../../src/mm/syscalls-sync.js';
import { validateMm } from '../../src/mm/validate.js';
import { UffdCtx, Vma } from '../../src/mm/vma.js';
import { vmaMergeTargets, type VmaMergeProposal } from '../../src/mm/vma-merge.js';

const RW = VM_READ | VM_WRITE;
const P = PAGE_SIZE;

function world(): { kernel: Kernel; mm: Mm; vma: (start: number, end: number, flags?: number) => Vma } {
  const kernel = new Kernel();
  const mm = createMm(kernel);
  return { kernel, mm, vma: (start, end, flags = RW) => new Vma(kernel, mm, start, end, flags, start / P, null) };
}

/** An anonymous proposal over [start, end) with the offset an anonymous mapping there has. */
function anon(start: number, end: number, flags = RW): VmaMergeProposal {
  return { vmStart: start, vmEnd: end, vmFlags: flags, vmFile: null, policy: null, uffdCtx: null, vmPgoff: start / P, anonName: null, anonVma: null };
}

describe('vmaMergeTargets: can_vma_merge_left and can_vma_merge_right', () => {
  it('joins touching compatible neighbours on both sides, ignoring VM_SOFTDIRTY', () => {
    const { vma } = world();
    const prev = vma(0x10 * P, 0x20 * P, RW | VM_SOFTDIRTY);
    const next = vma(0x30 * P, 0x40 * P);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), prev, next)).toEqual({ prev, next });
  });

  it('compares a neighbour reaching into the range as the part of it that stays', () => {
    const { vma } = world();
    // prev covers [0x10, 0x28) and next [0x2c, 0x40): the proposal [0x20, 0x30) replaces their overlap.
    const prev = vma(0x10 * P, 0x28 * P);
    const next = vma(0x2c * P, 0x40 * P);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), prev, next)).toEqual({ prev, next });
    // A file offset that does not continue across either boundary keeps them apart.
    expect(vmaMergeTargets({ ...anon(0x20 * P, 0x30 * P), vmPgoff: 0x21 }, prev, next)).toEqual({ prev: null, next: null });
  });

  it('refuses neighbours that do not touch, have other flags, or another userfaultfd context', () => {
    const { kernel, mm, vma } = world();
    const gapBefore = vma(0x10 * P, 0x1f * P);
    const gapAfter = vma(0x31 * P, 0x40 * P);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), gapBefore, gapAfter)).toEqual({ prev: null, next: null });
    const readOnly = vma(0x10 * P, 0x20 * P, VM_READ);
    const registered = vma(0x30 * P, 0x40 * P);
    registered.uffdCtx = new UffdCtx(kernel, mm, false);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), readOnly, registered)).toEqual({ prev: null, next: null });
  });

  it('merging both ways needs prev and next to share their anon_vma; otherwise only prev merges', () => {
    const { kernel, vma } = world();
    const prev = vma(0x10 * P, 0x20 * P);
    const next = vma(0x30 * P, 0x40 * P);
    prev.anonVma = new AnonVma(kernel);
    next.anonVma = new AnonVma(kernel);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), prev, next)).toEqual({ prev, next: null });
    next.anonVma = prev.anonVma;
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), prev, next)).toEqual({ prev, next });
    // Without a mergeable prev, next alone may take the range whatever prev's anon_vma is.
    prev.vmFlags = VM_READ;
    next.anonVma = new AnonVma(kernel);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), prev, next)).toEqual({ prev: null, next });
  });

  it('justExpand (do_brk_flags) tries prev alone', () => {
    const { vma } = world();
    const prev = vma(0x10 * P, 0x20 * P);
    const next = vma(0x30 * P, 0x40 * P);
    expect(vmaMergeTargets(anon(0x20 * P, 0x30 * P), prev, next, true)).toEqual({ prev, next: null });
  });
});

describe('brk through the shared decision', () => {
  it('grows a heap in place, but maps a new VMA beside a heap registered with userfaultfd', () => {
    const { kernel, mm } = world();
    mm.startBrk = mm.brk = 0x600000;
    expect(brk(mm, 0x602000)).toBe(0x602000);
    expect(brk(mm, 0x603000)).toBe(0x603000);
    expect(mm.mapCount).toBe(1);
    (mm.mmMt.load(0x600000) as Vma).uffdCtx = new UffdCtx(kernel, mm, false);
    expect(brk(mm, 0x605000)).toBe(0x605000);
    expect(mm.mapCount).toBe(2);
    expect(formatMaps(mm).split('\n').filter(Boolean).map((l) => l.slice(0, 17))).toEqual(['00600000-00603000', '00603000-00605000']);
    validateMm(mm);
  });
});
