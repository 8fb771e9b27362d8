/**
 * Page tables of one mm, at page granularity: a PTE is a present page or a swap entry. PTE tables
 * (each mapping PMD_SIZE) are allocated on first use and freed by free_pgd_range, so a leak check
 * can see tables left behind. rss counters follow the PTEs like the kernel's MM_*PAGES counters.
 */
import { PAGE_SIZE, PMD_SIZE } from './constants.js';

/** A physical page: anonymous pages are shared copy-on-write between parent and child after fork. */
export interface Page {
  readonly id: number;
  readonly anon: boolean;
  /** Number of PTEs mapping the page (page_mapcount). */
  mapcount: number;
}

export type Pte =
  | { readonly kind: 'present'; readonly page: Page }
  | { readonly kind: 'swap'; readonly slot: number };

export class PageTables {
  /** PTEs by page number (address >> PAGE_SHIFT). */
  readonly ptes = new Map<number, Pte>();
  /** Allocated PTE tables by table number (address / PMD_SIZE). */
  readonly tables = new Set<number>();
  anonPages = 0;
  filePages = 0;
  swapEntries = 0;

  static tableOf(addr: number): number {
    return Math.floor(addr / PMD_SIZE);
  }

  hasTable(addr: number): boolean {
    return this.tables.has(PageTables.tableOf(addr));
  }

  get(addr: number): Pte | undefined {
    return this.ptes.get(pfnOf(addr));
  }

  /** Sets a PTE; the caller has allocated its table (pte_alloc). */
  set(addr: number, pte: Pte): void {
    const pfn = pfnOf(addr);
    if (!this.tables.has(PageTables.tableOf(addr))) throw new Error(`PTE at 0x${addr.toString(16)} set without a page table`);
    const old = this.ptes.get(pfn);
    if (old) this.account(old, -1);
    this.ptes.set(pfn, pte);
    this.account(pte, 1);
  }

  clear(addr: number): Pte | undefined {
    const pfn = pfnOf(addr);
    const old = this.ptes.get(pfn);
    if (old) {
      this.ptes.delete(pfn);
      this.account(old, -1);
    }
    return old;
  }

  /**
   * The addresses of the PTEs in [start, end), in order: a list made before the caller goes
   * through it, so the caller may change the PTEs as it goes (zap, swap-in).
   */
  addresses(start: number, end: number): number[] {
    const out: number[] = [];
    const lo = pfnOf(start);
    const hi = Math.ceil(end / PAGE_SIZE);
    if (hi - lo < this.ptes.size) {
      for (let p = lo; p < hi; p++) if (this.ptes.has(p)) out.push(p * PAGE_SIZE);
      return out;
    }
    let sorted = true;
    for (const p of this.ptes.keys()) {
      if (p < lo || p >= hi) continue;
      const addr = p * PAGE_SIZE;
      if (out.length > 0 && out[out.length - 1]! > addr) sorted = false;
      out.push(addr);
    }
    if (!sorted) out.sort((a, b) => a - b);
    return out;
  }

  /** The PTEs in [start, end), in address order. */
  range(start: number, end: number): Array<[number, Pte]> {
    return this.addresses(start, end).map((addr) => [addr, this.ptes.get(pfnOf(addr))!]);
  }

  private account(pte: Pte, delta: number): void {
    if (pte.kind === 'swap') this.swapEntries += delta;
    else if (pte.page.anon) this.anonPages += delta;
    else this.filePages += delta;
  }
}

/**
 * The PTE tables free_pgd_range(addr, end, floor, ceiling) frees: those covering [addr, end) whose
 * whole span lies inside [floor, ceiling), since a table shared with a neighbour must stay.
 */
export function tablesToFree(addr: number, end: number, floor: number, ceiling: number): [number, number] {
  let lo = Math.floor(addr / PMD_SIZE);
  if (lo * PMD_SIZE < floor) lo++;
  let hi = Math.ceil(end / PMD_SIZE);
  const top = Math.floor(ceiling / PMD_SIZE);
  if (hi > top) hi = top;
  return [lo, hi];
}

export function pfnOf(addr: number): number {
  return Math.floor(addr / PAGE_SIZE);
}
