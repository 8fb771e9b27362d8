/**
 * The address space the mm tests refuse bad input on, and everything a refused or failed operation
 * must leave as it was, as one comparable string.
 */
import {
  Kernel, MADV_PAGEOUT, MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, MemPolicy, PAGE_SIZE, PROT_EXEC, PROT_READ,
  PROT_WRITE, Vma, brk, createMm, fault, formatMaps, madvise, mmap, type File, type Mm,
} from '../../src/mm/index.js';

const RW = PROT_READ | PROT_WRITE;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
export const A = 0x20000000;
export const F = 0x30000000;
export const HEAP = 0x600000;
export const STACK = 0x7ff000000000;

/** A process with anonymous memory (resident, one page swapped), a file mapping, a stack, a heap, and an empty child mm. */
export interface MmWorld {
  readonly kernel: Kernel;
  readonly mm: Mm;
  readonly child: Mm;
  readonly file: File;
  readonly anon: Vma;
  readonly fvma: Vma;
  readonly policy: MemPolicy;
}

export function mmWorld(): MmWorld {
  const kernel = new Kernel();
  const mm = createMm(kernel);
  mm.mmapBase = 0x7f0000000000;
  mm.startBrk = mm.brk = HEAP;
  const file = kernel.file('/lib/x.so', 16 * PAGE_SIZE);
  mmap(mm, A, 8 * PAGE_SIZE, RW, ANON | MAP_FIXED);
  for (let a = A; a < A + 4 * PAGE_SIZE; a += PAGE_SIZE) fault(mm, a, true);
  madvise(mm, A + 3 * PAGE_SIZE, PAGE_SIZE, MADV_PAGEOUT);
  mmap(mm, F, 2 * PAGE_SIZE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, file, 0);
  fault(mm, F);
  mmap(mm, STACK, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED | MAP_GROWSDOWN);
  brk(mm, HEAP + 2 * PAGE_SIZE);
  const child = createMm(kernel);
  return { kernel, mm, child, file, anon: mm.mmMt.load(A) as Vma, fvma: mm.mmMt.load(F) as Vma, policy: new MemPolicy(kernel, 'interleave') };
}

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
