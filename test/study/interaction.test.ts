/**
 * One walker holding the failed child alive for another (the fidelity review, defect 2): on 6.12's
 * fixes with Charan's first swapoff patch, a parent whose swapped anonymous VMA lies below the
 * probed text, a fatal signal at the data VMA after the text. Found from scratch by DPOR.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore/explore.js';
import { replay } from '../../src/explore/trace.js';
import { forkExitModel, takeReaches } from '../../src/study/model.js';
import { SWAP_BELOW_TEXT_DATA_VMA, SWAP_BELOW_TEXT_PARENT } from '../../src/study/parents.js';

const model = forkExitModel(SWAP_BELOW_TEXT_PARENT);

/** DPOR at bound 2 over one failure point, and the walkers that reached the failed child. */
function search(kernel: string, walkers: string, failure: string, nth?: number) {
  const variant = `${kernel}/${walkers}/${failure}`;
  takeReaches(model.name, variant);
  const result = explore({ model, variant, strategy: 'dpor', bound: 2, ...(nth === undefined ? {} : { fault: { task: 'fork', nth, mode: 'once' as const } }) });
  return { result, reached: takeReaches(model.name, variant) };
}

describe('uprobe + swapoff on cf:6.12.50+zero-break', () => {
  const signal = `signal@${SWAP_BELOW_TEXT_DATA_VMA}`;

  it('each alone: uprobe never reaches the failed child, swapoff reaches it and stops at the marker', () => {
    const uprobe = search('cf:6.12.50+zero-break', 'uprobe', signal);
    expect(uprobe.result.outcome).toBe('verified');
    expect(uprobe.reached.has('uprobe')).toBe(false);
    const swapoff = search('cf:6.12.50+zero-break', 'swapoff', signal);
    expect(swapoff.result.outcome).toBe('verified');
    expect(swapoff.reached.has('swapoff')).toBe(true);
  });

  it('together: swapoff\'s reference outlives dup_mmap_sem, and the breakpoint\'s fault reads the marker at 0x406', () => {
    const { result } = search('cf:6.12.50+zero-break', 'swapoff+uprobe', signal);
    expect(result.outcome).toBe('bug');
    const trace = result.trace!;
    expect(trace.violation!.message).toMatch(/virtual address 0x0+406 in find_mergeable_anon_vma/);
    expect(trace.violation!.task).toBe('uprobe');
    // The door: dup_mm releases the sem after its mmput, which swapoff's mmget made not the last.
    const labels = trace.events.map((e) => `${e.task}: ${e.label}`);
    const semUp = labels.findIndex((l) => l.startsWith('fork: dup_mm: uprobe_end_dup_mmap'));
    const swapoffPut = labels.findIndex((l) => /^swapoff: .*mmput\(mm#2\)/.test(l));
    expect(semUp).toBeGreaterThan(-1);
    expect(swapoffPut === -1 || swapoffPut > semUp).toBe(true);
    expect(replay(trace).violation?.message).toBe(trace.violation!.message);
  });
});

describe('absent where the kernel closes it', () => {
  // The allocation that fails the fork at the data VMA (security_vm_enough_memory_mm), found by the study's sweep.
  for (const kernel of ['6.18', '7.0']) {
    it(`${kernel}: swapoff + uprobe at the same failure point is verified`, () => {
      const { result } = search(kernel, 'swapoff+uprobe', 'alloc', 11);
      expect(result.faultFired).toBe(true);
      expect(result.outcome).toBe('verified');
      expect(result.exhaustiveBound).toBe(2);
    });
  }
});
