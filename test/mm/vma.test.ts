import { describe, expect, it } from 'vitest';
import { ModelViolation } from '../../src/explore/protocol.js';
import { ZERO_ENTRY } from '../../src/tree/entry.js';
import { Kernel } from '../../src/mm/kernel.js';
import { kfree } from '../../src/mm/kasan.js';
import { derefVma, peekVma, Vma } from '../../src/mm/vma.js';
import { createMm } from '../../src/mm/mm.js';

function violation(fn: () => unknown): ModelViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelViolation) return e;
    throw e;
  }
  throw new Error('no violation');
}

describe('derefVma: the model of a walker reading a tree slot', () => {
  const kernel = new Kernel();
  const mm = createMm(kernel);
  const other = createMm(kernel);

  it('XA_ZERO_ENTRY faults at 0x406 plus the field offset', () => {
    expect(violation(() => derefVma(ZERO_ENTRY, mm, 'anon_vma', 'unuse_mm')).message).toContain('0x0000000000000446');
    expect(violation(() => derefVma(ZERO_ENTRY, mm, 'vm_start', 'x')).message).toContain('0x0000000000000406');
    expect(violation(() => derefVma(ZERO_ENTRY, mm, 'vm_flags', 'x')).kind).toBe('null-deref');
  });

  it("a VMA of another mm is a foreign-vma report; peekVma allows it", () => {
    const vma = new Vma(kernel, other, 0x1000, 0x2000, 0, 1, null);
    expect(violation(() => derefVma(vma, mm, 'vm_start', 'walker')).kind).toBe('foreign-vma');
    expect(peekVma(vma, mm, 'vm_end', 'tear_down_vmas')).toBe(vma);
  });

  it('while its owner may still free it, a live foreign VMA is recorded and read; a freed one is still a use-after-free', () => {
    const k = new Kernel();
    const [child, parent] = [createMm(k), createMm(k)];
    const vma = new Vma(k, parent, 0x1000, 0x2000, 0, 1, null);
    k.deferForeignVma = true;
    expect(derefVma(vma, child, 'vm_start', 'walker')).toBe(vma);
    expect(k.foreignVmaRead).toMatch(/^walker: mm#1's tree returned vma#1.* whose vm_mm is mm#2/);
    kfree(vma, 'vm_area_free (exit_mmap)');
    expect(violation(() => derefVma(vma, child, 'vm_start', 'walker')).kind).toBe('use-after-free');
  });

  it('a freed VMA is a use-after-free naming where it was freed; freeing twice is a double free', () => {
    const vma = new Vma(kernel, mm, 0x1000, 0x2000, 0, 1, null);
    kfree(vma, 'vm_area_free (exit_mmap)');
    const v = violation(() => derefVma(vma, mm, 'vm_start', 'swapoff'));
    expect(v.kind).toBe('use-after-free');
    expect(v.message).toContain('vm_area_free (exit_mmap)');
    expect(violation(() => kfree(vma, 'again')).kind).toBe('double-free');
  });
});
