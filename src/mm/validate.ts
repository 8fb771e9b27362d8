/**
 * validateMm: every invariant of one address space — the tree and map_count, VMA order and
 * back-pointers, the anon_vma chains and file i_mmap links, rss counters against the page tables,
 * vm counters and accounting, and reference counts. Throws MmInvariantError naming the broken rule.
 */
import { mmArg, stringArg } from './args.js';
import { VM_ACCOUNT } from './constants.js';
import type { Mm } from './mm.js';
import { PageTables } from './page-table.js';
import { Vma } from './vma.js';

export class MmInvariantError extends Error {
  constructor(mm: Mm, rule: string) {
    mmArg('MmInvariantError', mm);
    stringArg('MmInvariantError', 'rule', rule);
    super(`${mm.name}: ${rule}`);
    this.name = 'MmInvariantError';
  }
}

export function validateMm(mm: Mm): void {
  mmArg('validateMm', mm);
  const fail = (rule: string): never => {
    throw new MmInvariantError(mm, rule);
  };
  if (mm.freed) fail('validated after being freed');
  if (mm.mmUsers <= 0) fail(`mm_users is ${mm.mmUsers}`);
  if (mm.mmCount <= 0) fail(`mm_count is ${mm.mmCount}`);
  mm.mmMt.validate();
  const vmas: Vma[] = [];
  let prevEnd = 0;
  let accounted = 0;
  let total = 0;
  mm.mmMt.forEach((slot, first, last) => {
    if (!(slot instanceof Vma)) fail(`tree slot [0x${first.toString(16)}, 0x${last.toString(16)}] holds ${String(slot)}, not a VMA`);
    const vma = slot as Vma;
    if (vma.freed) fail(`${vma.name} in the tree was freed by ${vma.freedAt}`);
    if (vma.vmStart !== first || vma.vmEnd - 1 !== last) fail(`${vma.toString()} is stored over [0x${first.toString(16)}, 0x${last.toString(16)}]`);
    if (vma.vmStart < prevEnd) fail(`${vma.toString()} overlaps the previous VMA`);
    if (vma.vmMm !== mm) fail(`${vma.toString()} has vm_mm ${vma.vmMm.name}`);
    if (vma.detached) fail(`${vma.toString()} is in the tree but marked detached`);
    prevEnd = vma.vmEnd;
    vmas.push(vma);
  });
  if (vmas.length !== mm.mapCount) fail(`map_count is ${mm.mapCount} but the tree holds ${vmas.length} VMAs`);
  for (const vma of vmas) {
    total += vma.pages;
    if (vma.vmFlags & VM_ACCOUNT) accounted += vma.pages;
    if (vma.anonVma) {
      if (vma.anonVma.freed) fail(`${vma.toString()} points at freed ${vma.anonVma.name}`);
      if (!vma.anonVmaChain.some((avc) => avc.anonVma === vma.anonVma)) fail(`${vma.toString()} is not chained to its own anon_vma`);
    } else if (vma.anonVmaChain.length > 0) {
      fail(`${vma.toString()} has anon_vma chains but no anon_vma`);
    }
    for (const avc of vma.anonVmaChain) {
      if (avc.freed || avc.vma !== vma) fail(`${vma.toString()} has a stale anon_vma_chain ${avc.name}`);
      if (avc.anonVma.freed) fail(`${avc.name} points at freed ${avc.anonVma.name}`);
      if (!avc.anonVma.chains.has(avc)) fail(`${avc.anonVma.name} does not hold ${avc.name} of ${vma.toString()}`);
      if (avc.anonVma.root !== vma.anonVma?.root) fail(`${vma.toString()} is chained to ${avc.anonVma.name} of another family`);
    }
    if (vma.vmFile && !vma.vmFile.mapping.iMmap.has(vma)) fail(`${vma.toString()} is missing from ${vma.vmFile.path}'s i_mmap`);
  }
  if (mm.totalVm !== total) fail(`total_vm is ${mm.totalVm} pages but the VMAs span ${total}`);
  if (mm.accounted !== accounted) fail(`${mm.accounted} pages are charged but accounted VMAs span ${accounted}`);
  // Page tables: every PTE lies in a VMA and in an allocated table; rss counters match.
  let anon = 0;
  let file = 0;
  let swap = 0;
  // forEach: a for-of over a Map's entries makes an array per entry (this runs after every execution).
  mm.pt.ptes.forEach((pte, pfn) => {
    const addr = pfn * 4096;
    const slot = mm.mmMt.load(addr);
    if (!(slot instanceof Vma)) fail(`PTE at 0x${addr.toString(16)} lies outside every VMA`);
    if (!mm.pt.tables.has(PageTables.tableOf(addr))) fail(`PTE at 0x${addr.toString(16)} has no page table`);
    if (pte.kind === 'swap') {
      swap++;
      if (!mm.kernel.swap.map.has(pte.slot)) fail(`swap PTE at 0x${addr.toString(16)} names free slot ${pte.slot}`);
    } else if (pte.page.anon) {
      anon++;
      if (pte.page.mapcount <= 0) fail(`page ${pte.page.id} is mapped at 0x${addr.toString(16)} with mapcount ${pte.page.mapcount}`);
      if (!(slot as Vma).anonVma) fail(`anonymous page at 0x${addr.toString(16)} in ${(slot as Vma).toString()} without an anon_vma`);
    } else {
      file++;
    }
  });
  if (anon !== mm.pt.anonPages || file !== mm.pt.filePages || swap !== mm.pt.swapEntries) {
    fail(`rss counters anon ${mm.pt.anonPages} file ${mm.pt.filePages} swap ${mm.pt.swapEntries} but PTEs say ${anon}/${file}/${swap}`);
  }
  if (swap > 0 && !mm.onMmlist) fail(`has ${swap} swap entries but is not on the mmlist`);
  if (mm.onMmlist !== mm.kernel.mmlist.includes(mm)) fail('onMmlist disagrees with the mmlist');
}
