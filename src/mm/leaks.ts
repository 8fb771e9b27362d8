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
import type { Pte } from './page-table.js';
import { MemPolicy, UffdCtx, Vma } from './vma.js';
import { validateMm } from './validate.js';

export function findLeaks(kernel: Kernel, survivors: readonly Mm[]): string[] {
  kernelArg('findLeaks', kernel);
  if (!Array.isArray(survivors)) throw new TypeError(`findLeaks: survivors must be an array of Mm, got ${show(survivors)}`);
  for (let i = 0; i < survivors.length; i++) mmArg('findLeaks', survivors[i], `survivors[${i}]`);
  const problems: string[] = [];
  // Survivors are one or two mms: a list, not a set.
  const alive: readonly Mm[] = survivors;
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
      if (!someVma(vmas, (v) => v.policy === obj)) problems.push(`leaked ${obj.name}`);
    } else if (obj instanceof UffdCtx) {
      if (!alive.includes(obj.mm)) problems.push(`leaked ${obj.name} holding ${obj.mm.name}`);
    } else if (obj.kind === 'mm') {
      if (!alive.includes(obj as Mm)) problems.push(`leaked ${obj.name} (mm_users ${(obj as Mm).mmUsers}, mm_count ${(obj as Mm).mmCount})`);
    }
  }
  // Pages and swap slots: every reference comes from a survivor's PTE.
  const mapcount = new Map<number, number>();
  const pages = new Map<number, { mapcount: number; anon: boolean }>();
  const slots = new Map<number, number>();
  for (const mm of survivors) {
    mm.pt.ptes.forEach((pte: Pte) => {
      if (pte.kind === 'swap') {
        slots.set(pte.slot, (slots.get(pte.slot) ?? 0) + 1);
      } else {
        mapcount.set(pte.page.id, (mapcount.get(pte.page.id) ?? 0) + 1);
        pages.set(pte.page.id, pte.page);
      }
    });
  }
  let anonMapped = 0;
  pages.forEach((page, id) => {
    if (page.mapcount !== mapcount.get(id)) problems.push(`page ${id} has mapcount ${page.mapcount} but ${mapcount.get(id)} PTEs map it`);
    if (page.anon) anonMapped++;
  });
  if (kernel.anonPages !== anonMapped) problems.push(`${kernel.anonPages} anonymous pages in use but survivors map ${anonMapped}`);
  kernel.swap.map.forEach((count, slot) => {
    if (slots.get(slot) !== count) problems.push(`swap slot ${slot} has ${count} references but survivors hold ${slots.get(slot) ?? 0}`);
  });
  for (const mm of kernel.mmlist) if (!alive.includes(mm)) problems.push(`${mm.name} is still on the mmlist`);
  const charged = survivors.reduce((sum, mm) => sum + mm.accounted, 0);
  if (kernel.committed !== charged) problems.push(`vm_committed_as is ${kernel.committed} pages but survivors charged ${charged}`);
  kernel.files.forEach((file) => {
    let mapped = 0;
    for (const v of vmas) if (v.vmFile === file) mapped++;
    let exe = 0;
    for (const mm of survivors) if (mm.exeFile === file) exe++;
    if (file.refs !== 1 + mapped + exe) problems.push(`${file.path} has ${file.refs} references, expected ${1 + mapped + exe}`);
    for (const vma of file.mapping.iMmap) if (!vmas.has(vma)) problems.push(`${file.path}'s i_mmap still holds ${vma.toString()} of ${vma.vmMm.name}`);
    if (file.vmOps?.counted && file.opened !== mapped) problems.push(`${file.path}: vm_ops open/close unbalanced (${file.opened} open, ${mapped} VMAs)`);
  });
  return problems;
}

function someVma(vmas: ReadonlySet<Vma>, test: (vma: Vma) => boolean): boolean {
  for (const v of vmas) if (test(v)) return true;
  return false;
}
