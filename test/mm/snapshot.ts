/** Everything a refused or failed mm operation must leave as it was, as one comparable string. */
import type { Kernel } from '../../src/mm/kernel.js';
import { formatMaps } from '../../src/mm/maps.js';
import type { Mm } from '../../src/mm/mm.js';
import { Vma } from '../../src/mm/vma.js';

export function mmSnapshot(kernel: Kernel, mm: Mm): string {
  const vmas: string[] = [];
  mm.mmMt.forEach((v) => {
    if (v instanceof Vma) {
      vmas.push(`${v.name} ${v.vmStart} ${v.vmEnd} ${v.vmFlags} ${v.vmPgoff} ${v.vmFile?.path ?? '-'} ${v.anonVma?.name ?? '-'} ${v.anonVmaChain.length}`);
    }
  });
  const ptes = [...mm.pt.ptes].map(([pfn, pte]) => `${pfn}:${pte.kind === 'swap' ? `s${pte.slot}` : `p${pte.page.id}/${pte.page.mapcount}`}`);
  return JSON.stringify({
    maps: formatMaps(mm), vmas, ptes, tables: [...mm.pt.tables].sort(), mapCount: mm.mapCount,
    counters: [mm.totalVm, mm.lockedVm, mm.dataVm, mm.execVm, mm.stackVm, mm.accounted, mm.pt.anonPages, mm.pt.filePages, mm.pt.swapEntries],
    mm: [mm.brk, mm.startBrk, mm.startStack, mm.mmapBase, mm.flags, mm.mmUsers, mm.mmCount, mm.onMmlist, mm.exited],
    kernel: [kernel.committed, kernel.anonPages, kernel.live.size, kernel.swap.used, kernel.files.size, kernel.mmlist.length],
  });
}
