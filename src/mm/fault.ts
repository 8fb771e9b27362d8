/**
 * Page faults (handle_mm_fault): the VMA lookup, anon_vma_prepare for the first anonymous page,
 * the PTE table allocation, and the page itself — a new anonymous page, a copy-on-write copy of a
 * shared one, a page-cache page of a file, or a swap-in.
 */
import { alloc, type Task } from '../explore/protocol.js';
import { MM_ERRNO } from './errno.js';
import { pteAlloc } from './memory.js';
import type { Mm } from './mm.js';
import { anonVmaPrepare } from './rmap.js';
import { swapInPte } from './swap.js';
import { booleanArg, faultArgs, mmArg, whoArg } from './args.js';
import { PAGE_SIZE, TASK_SIZE, VM_EXEC, VM_READ, VM_SHARED, VM_WRITE } from './constants.js';
import { use } from './kasan.js';
import { Vma } from './vma.js';

/**
 * Fault in the page at `addr` for reading or writing; the caller holds the mmap lock (read).
 * Returns 0, -EFAULT (no VMA or no permission: SIGSEGV) or -ENOMEM.
 */
export function* handleMmFault(mm: Mm, addr: number, writeAccess: boolean, who: string, force = false): Task<number> {
  mmArg('handle_mm_fault', mm);
  whoArg('handle_mm_fault', who);
  faultArgs(addr, writeAccess);
  booleanArg('handle_mm_fault', 'force', force);
  const fn = `handle_mm_fault (${who})`;
  // A negative address is an unsigned long above TASK_SIZE: no VMA is there.
  if (addr < 0 || addr >= TASK_SIZE) return MM_ERRNO.EFAULT;
  const slot = mm.mmMt.load(addr);
  if (!(slot instanceof Vma)) return MM_ERRNO.EFAULT;
  const vma = use(slot, fn);
  // FOLL_FORCE (ptrace, uprobes) may write to a private mapping the process cannot write.
  const allowed = force ? VM_READ | VM_WRITE | VM_EXEC : writeAccess ? VM_WRITE : VM_READ;
  if (!(vma.vmFlags & allowed)) return MM_ERRNO.EFAULT;
  const page = addr - (addr % PAGE_SIZE);
  const pte = mm.pt.get(page);
  if (pte?.kind === 'swap') {
    swapInPte(mm, page);
    return 0;
  }
  const shared = (vma.vmFlags & VM_SHARED) !== 0;
  if (pte?.kind === 'present') {
    // A write to a shared-COW anonymous page or a private file page breaks the sharing.
    if (!writeAccess || shared || (pte.page.anon && pte.page.mapcount === 1)) return 0;
  }
  const needsAnon = !shared && (vma.isAnonymous || writeAccess);
  if (needsAnon) {
    const err = yield* anonVmaPrepare(vma, fn);
    if (err) return err;
  }
  if (!(yield* pteAlloc(mm, page, fn))) return MM_ERRNO.ENOMEM;
  const kernel = mm.kernel;
  if (needsAnon) {
    if (!(yield alloc('alloc_anon_folio', `${fn}: alloc_anon_folio`))) return MM_ERRNO.ENOMEM;
    if (pte?.kind === 'present') kernel.unmapPage(pte.page);
    const fresh = kernel.newPage(true);
    fresh.mapcount = 1;
    mm.pt.set(page, { kind: 'present', page: fresh });
  } else {
    const file = vma.vmFile!;
    const cached = file.cachePage(vma.vmPgoff + (page - vma.vmStart) / PAGE_SIZE, kernel);
    cached.mapcount++;
    mm.pt.set(page, { kind: 'present', page: cached });
  }
  return 0;
}
