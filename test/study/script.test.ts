import { describe, expect, it } from 'vitest';
import { swapoffOops, uprobeCrash } from '../../src/study/script.js';

describe('scripted reproductions', () => {
  it("Charan's swapoff oops: unuse_mm reads vma->anon_vma of XA_ZERO_ENTRY at 0x446 under the pre-fix kernel", () => {
    const { run } = swapoffOops('xa-zero-prefix');
    expect(run.violation?.kind).toBe('null-deref');
    expect(run.violation?.message).toContain('virtual address 0x0000000000000446');
    expect(run.violation?.message).toContain('unuse_mm');
    expect(run.violation?.task).toBe('swapoff');
  });

  it('the swapoff oops still happens with the January 2025 flags alone and with the hotfix alone', () => {
    expect(swapoffOops('xa-zero+flags').run.violation?.kind).toBe('null-deref');
    // The hotfix tests MMF_UNSTABLE, which only the January 2025 change sets on a failed fork.
    expect(swapoffOops('xa-zero+swapoff-hotfix').run.violation?.kind).toBe('null-deref');
  });

  it('the swapoff oops is gone with the hotfix on top of the flags, in 6.18 and with the 7.0 teardown', () => {
    for (const kernel of ['xa-zero+flags+swapoff-hotfix', 'xa-zero-fixed', 'teardown']) {
      const { run, world } = swapoffOops(kernel);
      expect(run.violation, kernel).toBeNull();
      expect(world.fork.child).toBeNull();
    }
  });

  it("Charan's first patch (break at the marker) stops the oops; skipping the marker instead walks into the parent's VMAs", () => {
    expect(swapoffOops('xa-zero+swapoff-zero-break').run.violation).toBeNull();
    const { run } = swapoffOops('xa-zero+swapoff-zero-continue');
    expect(run.violation?.kind).toBe('foreign-vma');
    expect(run.violation?.message).toContain('vm_mm is mm#1');
  });

  it("syzbot's uprobe crash: failslab in vm_area_dup, then anon_vma_prepare reads the marker at 0x406", () => {
    const { run } = uprobeCrash('xa-zero-prefix');
    expect(run.faultFired).toBe(true);
    expect(run.events.find((e) => e.fault)?.obj).toBe('vm_area_dup');
    expect(run.violation?.kind).toBe('null-deref');
    expect(run.violation?.message).toContain('virtual address 0x0000000000000406');
    expect(run.violation?.message).toContain('find_mergeable_anon_vma');
  });

  it('each uprobe fix on its own stops the crash, and so do 6.18 and 7.0', () => {
    for (const kernel of ['xa-zero+uprobe-sem-fix', 'xa-zero+flags', 'xa-zero-fixed', 'teardown']) {
      expect(uprobeCrash(kernel).run.violation, kernel).toBeNull();
    }
    // The swapoff hotfix does nothing for uprobes.
    expect(uprobeCrash('xa-zero+swapoff-hotfix').run.violation?.kind).toBe('null-deref');
  });
});
