/**
 * One scripted reproduction per door the real kernels had: it crashes on every configuration that
 * had the door and not on those that closed it (the commit that closed it named in each test).
 */
import { describe, expect, it } from 'vitest';
import { REAL_KERNELS } from '../../src/mm/config.js';
import { scannerCrash, swapoffOops, uffdEventCrash, uffdWithdrawCrash, uprobeCrash, type ScriptedRun } from '../../src/study/script.js';

/** The real configurations, split by a predicate on their facts. */
function kernelsWhere(has: (name: string) => boolean): { open: string[]; closed: string[] } {
  const open = REAL_KERNELS.filter((k) => has(k.name)).map((k) => k.name);
  const closed = REAL_KERNELS.filter((k) => !has(k.name)).map((k) => k.name);
  return { open, closed };
}

function crash(run: ScriptedRun): string | undefined {
  return run.run.violation ? `${run.run.violation.kind} ${run.run.violation.message}` : undefined;
}

describe('scripted reproductions, one per door', () => {
  it("Charan's swapoff oops: unuse_mm reads vma->anon_vma of XA_ZERO_ENTRY at 0x446 on the 6.15+ layout", () => {
    const { run } = swapoffOops('6.15-6.17.0');
    expect(run.violation?.kind).toBe('null-deref');
    expect(run.violation?.message).toContain('virtual address 0x0000000000000446');
    expect(run.violation?.message).toContain('unuse_mm');
    expect(run.violation?.task).toBe('swapoff');
    // Mainline 6.12's layout puts anon_vma at 0x68, 6.8's at 0x70.
    expect(swapoffOops('6.12.8-6.12.50').run.violation?.message).toContain('0x000000000000046e');
    expect(swapoffOops('6.8.0-6.8.7').run.violation?.message).toContain('0x0000000000000476');
  });

  it('swapoff: every xa-zero kernel without the hotfix and its flags crashes; the 6.12 window (hotfix, no flags) too', () => {
    // 1367da7eb875 tests MMF_UNSTABLE, which only 64c37e134b12 sets on a failed fork.
    const fixed = new Set(['6.12.83+', '6.17.1+', '6.18', '7.0']);
    const { open, closed } = kernelsWhere((name) => !fixed.has(name));
    expect(open).toContain('6.12.51-6.12.82');
    for (const kernel of open) expect(swapoffOops(kernel).run.violation?.kind, kernel).toBe('null-deref');
    for (const kernel of closed) {
      const { run, world } = swapoffOops(kernel);
      expect(run.violation, kernel).toBeNull();
      // 7.0's loop never looks at the signal without a per-VMA reader to wait for: dup_mmap
      // completes and copy_process fails the fork afterwards, putting a complete mm.
      if (kernel === '7.0') expect(world.fork.outcome.value).toMatchObject({ retval: 0, signalPending: true });
      else expect(world.fork.child, kernel).toBeNull();
    }
  });

  it("Charan's first patch (break at the marker) stops the oops; skipping the marker instead walks into the parent's VMAs", () => {
    expect(swapoffOops('cf:6.12.50+zero-break').run.violation).toBeNull();
    const { run } = swapoffOops('cf:6.12.50+zero-continue');
    expect(run.violation?.kind).toBe('foreign-vma');
    expect(run.violation?.message).toContain('vm_mm is mm#1');
  });

  it("syzbot's uprobe crash: failslab in vm_area_dup, then anon_vma_prepare reads the marker at 0x406, until 8ac662f5da19", () => {
    const { run } = uprobeCrash('6.10-6.11.6');
    expect(run.faultFired).toBe(true);
    expect(run.events.find((e) => e.fault)?.obj).toBe('vm_area_dup');
    expect(run.violation?.kind).toBe('null-deref');
    expect(run.violation?.message).toContain('virtual address 0x0000000000000406');
    expect(run.violation?.message).toContain('find_mergeable_anon_vma');
    const { open, closed } = kernelsWhere((name) => ['6.8.0-6.8.7', '6.8.8-6.9', '6.10-6.11.6', '6.11.7-6.12.7'].includes(name));
    for (const kernel of open) expect(crash(uprobeCrash(kernel)), kernel).toContain('0x0000000000000406');
    for (const kernel of closed) expect(uprobeCrash(kernel).run.violation, kernel).toBeNull();
  });

  it('userfaultfd by ENOMEM: the monitor reads the failed child\'s fork event and walks into the marker, until f64e67e5d3a4', () => {
    const early = ['6.8.0-6.8.7', '6.8.8-6.9', '6.10-6.11.6'];
    const { open, closed } = kernelsWhere((name) => early.includes(name));
    for (const kernel of open) {
      const { run } = uffdEventCrash(kernel);
      expect(run.violation?.kind, kernel).toBe('null-deref');
      expect(run.violation?.task, kernel).toBe('uffd');
      expect(run.violation?.message, kernel).toContain('0x0000000000000426');
      // The failure is an allocation, never a fatal signal: a signal withdraws the event unread.
      expect(run.events.find((e) => e.fault)?.obj).toBe('vm_area_dup');
    }
    for (const kernel of closed) expect(uffdEventCrash(kernel).run.violation, kernel).toBeNull();
  });

  it('userfaultfd under a fatal signal: the event is withdrawn, and before f64e67e5d3a4 the withdrawal walks into the marker', () => {
    const early = ['6.8.0-6.8.7', '6.8.8-6.9', '6.10-6.11.6'];
    const { open, closed } = kernelsWhere((name) => early.includes(name));
    for (const kernel of open) {
      const { run, world } = uffdWithdrawCrash(kernel);
      expect(run.violation?.kind, kernel).toBe('null-deref');
      expect(run.violation?.task, kernel).toBe('fork');
      expect(run.violation?.message, kernel).toContain('vm_userfaultfd_ctx');
      expect(world.kernel.uffdEvents).toEqual([]);
    }
    expect(crash(uffdWithdrawCrash('6.8.0-6.8.7'))).toContain('0x00000000000004be');
    for (const kernel of closed) {
      const { run, world } = uffdWithdrawCrash(kernel);
      expect(run.violation, kernel).toBeNull();
      expect(world.kernel.uffdEvents, kernel).toEqual([]);
    }
  });

  it('ksmd and khugepaged scan a failed child registered before __mt_dup, until 985da552a98e', () => {
    const early = ['6.8.0-6.8.7', '6.8.8-6.9', '6.10-6.11.6'];
    const { open, closed } = kernelsWhere((name) => early.includes(name));
    for (const scanner of ['ksmd', 'khugepaged'] as const) {
      for (const kernel of open) {
        const { run } = scannerCrash(kernel, scanner);
        expect(run.violation?.kind, `${scanner} ${kernel}`).toBe('null-deref');
        expect(run.violation?.task, `${scanner} ${kernel}`).toBe(scanner);
        expect(run.violation?.message).toContain('0x0000000000000426');
      }
      for (const kernel of closed) {
        const { run, world } = scannerCrash(kernel, scanner);
        expect(run.violation, `${scanner} ${kernel}`).toBeNull();
        expect(world.kernel.ksm.mms.concat(world.kernel.khugepaged.mms)).not.toContain(world.fork.child);
      }
    }
  });
});
