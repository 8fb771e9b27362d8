/**
 * The end-of-run check (the model's kmemleak): once every task has finished, everything the kernel
 * still holds must belong to a surviving mm — no VMAs, anon_vmas, chains, policies or contexts of a
 * dead mm, no page mapped or swap slot referenced by nobody, no stale mmlist entry, committed memory
 * and file references that add up. Returns the list of problems (empty when clean).
 */
import { kernelArg, mmArg, show } from './args.js';
import { AnonVma, AnonVmaChain } from './anon-vma.js';
import type { Kernel } from './kernel.js';
import type { Mm } from './mm.js';
import { MemPolicy, UffdCtx, Vma } from './vma.js';
import { validateMm } from './validate.js';

export function findLeaks(kernel: Kernel, survivors: readonly Mm[]): string[] {
  kernelArg('findLeaks', kernel);
  if (!Array.isArray(survivors)) throw new TypeError(`findLeaks: survivors must be an array of Mm, got ${show(survivors)}`);
  survivors.forEach((m, i) => mmArg('findLeaks', m, `survivors[${i}]`));
  const problems: string[] = [];
  const alive = new Set<Mm>(survivors);
  const vmas = new Set<Vma>();
  for (const mm of survivors) {
    try {
      validateMm(mm);
    } catch (e) {
      problems.push((e as Error).message);
    }
    mm.mmMt.forEach((slot: unknown) => {
      if (slot instanceof Vma) vmas.add(slot);
    });
  }
  const anonVmas = new Set<AnonVma>();
  for (const vma of vmas) {
    for (const avc of vma.anonVmaChain) {
      anonVmas.add(avc.anonVma);
      anonVmas.add(avc.anonVma.root);
    }
  }
  for (const obj of kernel.live) {
    if (obj instanceof Vma) {
      if (!vmas.has(obj)) problems.push(`leaked ${obj.toString()} of ${obj.vmMm.name}`);
    } else if (obj instanceof AnonVmaChain) {
      if (!vmas.has(obj.vma)) problems.push(`leaked ${obj.name} of ${obj.vma.toString()}`);
    } else if (obj instanceof AnonVma) {
      if (!anonVmas.has(obj)) problems.push(`leaked ${obj.name} (refcount ${obj.refcount})`);
    } else if (obj instanceof MemPolicy) {
      if (![...vmas].some((v) => v.policy === obj)) problems.push(`leaked ${obj.name}`);
    } else if (obj instanceof UffdCtx) {
      if (!alive.has(obj.mm)) problems.push(`leaked ${obj.name} holding ${obj.mm.name}`);
    } else if (obj.kind === 'mm') {
      if (!alive.has(obj as Mm)) problems.push(`leaked ${obj.name} (mm_users ${(obj as Mm).mmUsers}, mm_count ${(obj as Mm).mmCount})`);
    }
  }
  // Pages and swap slots: every reference comes from a survivor's PTE.
  const mapcount = new Map<number, number>();
  const pages = new Map<number, { mapcount: number; anon: boolean }>();
  const slots = new Map<number, number>();
  for (const mm of survivors) {
    for (const pte of mm.pt.ptes.values()) {
      if (pte.kind === 'swap') {
        slots.set(pte.slot, (slots.get(pte.slot) ?? 0) + 1);
      } else {
        mapcount.set(pte.page.id, (mapcount.get(pte.page.id) ?? 0) + 1);
        pages.set(pte.page.id, pte.page);
      }
    }
  }
  for (const [id, page] of pages) {
    if (page.mapcount !== mapcount.get(id)) problems.push(`page ${id} has mapcount ${page.mapcount} but ${mapcount.get(id)} PTEs map it`);
  }
  const anonMapped = [...pages.values()].filter((p) => p.anon).length;
  if (kernel.anonPages !== anonMapped) problems.push(`${kernel.anonPages} anonymous pages in use but survivors map ${anonMapped}`);
  for (const [slot, count] of kernel.swap.map) {
    if (slots.get(slot) !== count) problems.push(`swap slot ${slot} has ${count} references but survivors hold ${slots.get(slot) ?? 0}`);
  }
  for (const mm of kernel.mmlist) if (!alive.has(mm)) problems.push(`${mm.name} is still on the mmlist`);
  const charged = survivors.reduce((sum, mm) => sum + mm.accounted, 0);
  if (kernel.committed !== charged) problems.push(`vm_committed_as is ${kernel.committed} pages but survivors charged ${charged}`);
  for (const file of kernel.files.values()) {
    const mapped = [...vmas].filter((v) => v.vmFile === file);
    const exe = survivors.filter((mm) => mm.exeFile === file).length;
    if (file.refs !== 1 + mapped.length + exe) problems.push(`${file.path} has ${file.refs} references, expected ${1 + mapped.length + exe}`);
    for (const vma of file.mapping.iMmap) if (!vmas.has(vma)) problems.push(`${file.path}'s i_mmap still holds ${vma.toString()} of ${vma.vmMm.name}`);
    if (file.vmOps?.counted && file.opened !== mapped.length) problems.push(`${file.path}: vm_ops open/close unbalanced (${file.opened} open, ${mapped.length} VMAs)`);
  }
  return problems;
}
