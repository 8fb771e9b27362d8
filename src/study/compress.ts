/**
 * Class compression of a large parent (docs/walkers.md, "Class compression"): every VMA gets a
 * class — what the fork, the exit paths and the walkers read of it — and a VMA whose failure
 * points have the same signature (its class, and for every class how many VMAs of it lie before and
 * after, each count capped at a margin tied to the preemption bound) as an earlier VMA's is
 * deleted, as long as deleting it changes no other VMA's signature. What is left keeps the user's
 * addresses; `original` maps each of its VMAs back to the user's numbering.
 */
import { PAGE_SIZE, PMD_SIZE, TASK_SIZE, VM_DONTCOPY, VM_HUGETLB, VM_MAYEXEC, VM_MAYSHARE, VM_PFNMAP, VM_WRITE } from '../mm/constants.js';
import { indexArg } from '../mm/args.js';
import type { Mm } from '../mm/mm.js';
import type { Vma } from '../mm/vma.js';
import { firstAnonFolio } from '../mm/walkers/reclaim.js';
import { parentArg } from './args.js';
import { latestParent, parentUprobe, type ParentProcess } from './scenario.js';

/** How many VMAs of a class before and after a point its signature counts: bound + 2 (the argument's c). */
export function compressionMargin(bound: number): number {
  return indexArg('compressionMargin', 'bound', bound) + 2;
}

export interface CompressedParent {
  /** The kept VMAs, at the user's addresses, with the user's uprobe and uffd range. */
  readonly parent: ParentProcess;
  /** For each kept VMA (the compressed numbering), its index in the user's parent. */
  readonly original: readonly number[];
  /** Kept VMAs, the user's VMAs, and the classes they fall in. */
  readonly vmas: number;
  readonly of: number;
  readonly classes: number;
  readonly margin: number;
}

/** valid_vma(vma, true) and the probe's address inside it: a VMA build_map_info takes. */
function probeHit(vma: Vma, offset: number): boolean {
  if ((vma.vmFlags & (VM_HUGETLB | VM_MAYEXEC | VM_MAYSHARE | VM_WRITE)) !== VM_MAYEXEC) return false;
  const vaddr = vma.vmStart + offset - vma.vmPgoff * PAGE_SIZE;
  return vaddr >= vma.vmStart && vaddr < vma.vmEnd;
}

/** The parent's VMAs in the fork loop's order. */
function vmasOf(mm: Mm): Vma[] {
  const out: Vma[] = [];
  mm.mmMt.forEach((slot) => {
    out.push(slot as Vma);
  });
  return out;
}

/** Per VMA: its own class key, whether it is pinned (a class of its own), and its page tables. */
interface VmaFacts {
  readonly key: string;
  readonly pinned: boolean;
  /** vma_needs_copy: copy_page_range walks its PTEs (pte_alloc per table). */
  readonly needsCopy: boolean;
  /** The PTE tables (address / PMD_SIZE) its PTEs lie in. */
  readonly tables: readonly number[];
}

function factsOf(parent: ParentProcess, mm: Mm): VmaFacts[] {
  const probe = parentUprobe(parent);
  const uffd = parent.uffd ?? null;
  const folio = firstAnonFolio(mm);
  return vmasOf(mm).map((vma) => {
    const addrs = mm.pt.addresses(vma.vmStart, vma.vmEnd);
    let present = 0;
    let swapped = 0;
    for (const a of addrs) {
      const pte = mm.pt.get(a);
      if (pte?.kind === 'swap') swapped++;
      else if (pte) present++;
    }
    const file = vma.vmFile === null ? 'anon'
      : probe !== null && vma.vmFile.path === probe.path ? (probeHit(vma, probe.offset) ? 'probe-hit' : 'probe-file')
        : `file${vma.vmFile.vmOps?.counted ? '+open' : ''}`;
    const av = vma.anonVma;
    // Pinned: what a walker or the parent's build ties to this VMA alone — reclaim's folio, a shared
    // anon_vma (a neighbour's reuse), the uffd registration (dup_userfaultfd allocates at the first
    // VMA of a context), the heap and the stack (the mm's brk and start_stack come from them).
    const pinned = (folio !== null && folio.addr >= vma.vmStart && folio.addr < vma.vmEnd) ||
      (av !== null && (av.numActiveVmas > 1 || vma.anonVmaChain.length > 1 || av.root !== av)) ||
      (uffd !== null && vma.vmStart < uffd.end && vma.vmEnd > uffd.start) ||
      (vma.vmStart <= mm.brk && vma.vmEnd >= mm.startBrk && mm.brk !== 0) ||
      (vma.vmStart <= mm.startStack && vma.vmEnd >= mm.startStack && mm.startStack !== 0);
    const needsCopy = (vma.vmFlags & VM_PFNMAP) !== 0 || av !== null;
    const tables = needsCopy ? [...new Set(addrs.map((a) => Math.floor(a / PMD_SIZE)))] : [];
    const key = [
      vma.vmFlags.toString(16), file, av === null ? 'no-av' : `av${vma.anonVmaChain.length}`,
      present > 0 ? 'rss' : '-', swapped > 0 ? 'swap' : '-', vma.policy ? `pol:${vma.policy.mode}` : '-',
    ].join(',');
    return { key, pinned, needsCopy, tables };
  });
}

/** A Fenwick tree of present VMAs of one class, by index. */
class Counts {
  readonly #t: number[];
  constructor(n: number) {
    this.#t = new Array<number>(n + 1).fill(0);
  }
  add(i: number, d: number): void {
    for (let j = i + 1; j < this.#t.length; j += j & -j) this.#t[j]! += d;
  }
  /** Present VMAs of the class at indices < i. */
  before(i: number): number {
    let s = 0;
    for (let j = i; j > 0; j -= j & -j) s += this.#t[j]!;
    return s;
  }
}

/**
 * The VMAs to keep, by the rule of the module comment. Units: a VMA, or the VMAs whose PTEs share
 * a page table (deleting one alone would move a pte_alloc to another). A unit goes when, for each
 * class among its members, at least `margin` present VMAs of that class lie before its first such
 * member and after its last, each member's signature is an earlier kept VMA's, and no present
 * VMA whose successor is part of its class (a DONTCOPY VMA, whose signal fails the fork at the
 * next one; a VMA whose pte_alloc can fail, which leaves mpnt at the next) gets a successor of
 * another class.
 */
function keptVmas(facts: readonly VmaFacts[], margin: number): { kept: boolean[]; classes: number } {
  const n = facts.length;
  // Page-table sharing: among VMAs that copy PTEs, the first in a table allocates it.
  const owner = new Map<number, number>();
  const unitOf = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (unitOf[i] === i ? i : (unitOf[i] = find(unitOf[i]!)));
  const newTables = facts.map((f, i) => {
    let fresh = 0;
    for (const t of f.tables) {
      const o = owner.get(t);
      if (o === undefined) {
        owner.set(t, i);
        fresh++;
      } else {
        const a = find(o);
        const b = find(i);
        if (a !== b) unitOf[Math.max(a, b)] = Math.min(a, b);
      }
    }
    return fresh;
  });
  const sensitive = facts.map((f, i) => newTables[i]! > 0 || isDontcopy(f));
  // Classes: the VMA's own key and its page-table allocations, then (for a successor-sensitive
  // VMA) its successor's class, interned from the end.
  const ids = new Map<string, number>();
  const intern = (k: string): number => {
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    return id;
  };
  const own = facts.map((f, i) => (f.pinned ? `pin:${i}` : `${f.key},t${newTables[i]}`));
  const cls = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) cls[i] = intern(sensitive[i] ? `${own[i]}>${i + 1 < n ? cls[i + 1] : 'end'}` : own[i]!);
  const k = ids.size;
  // Signatures on the whole parent: class, then for each class its capped counts before and after.
  const total = new Array<number>(k).fill(0);
  for (const c of cls) total[c]!++;
  const seen = new Array<number>(k).fill(0);
  const sigs = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const parts: number[] = [cls[i]!];
    for (let c = 0; c < k; c++) parts.push(Math.min(seen[c]!, margin), Math.min(total[c]! - seen[c]! - (c === cls[i] ? 1 : 0), margin));
    sigs[i] = parts.join(',');
    seen[cls[i]!]!++;
  }
  const counts = Array.from({ length: k }, () => new Counts(n));
  for (let i = 0; i < n; i++) counts[cls[i]!]!.add(i, 1);
  const present = new Array<boolean>(n).fill(true);
  const keptSigs = new Set<string>();
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const u = find(i);
    let list = members.get(u);
    if (!list) members.set(u, (list = []));
    list.push(i);
  }
  const decided = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    if (decided[i]) continue;
    const unit = members.get(find(i))!;
    for (const m of unit) decided[m] = true;
    if (deletable(unit)) {
      for (const m of unit) {
        present[m] = false;
        counts[cls[m]!]!.add(m, -1);
      }
    } else {
      for (const m of unit) keptSigs.add(sigs[m]!);
    }
  }
  return { kept: present, classes: k };

  function deletable(unit: readonly number[]): boolean {
    if (unit.some((m) => facts[m]!.pinned || !keptSigs.has(sigs[m]!))) return false;
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    for (const m of unit) {
      if (!first.has(cls[m]!)) first.set(cls[m]!, m);
      last.set(cls[m]!, m);
    }
    for (const [c, m] of first) if (counts[c]!.before(m) < margin) return false;
    for (const [c, m] of last) {
      const after = counts[c]!.before(n) - counts[c]!.before(m + 1);
      if (after < margin) return false;
    }
    // Successors: a sensitive present VMA just before a run of the unit's members must see, once
    // they go, a successor of the class it sees now (the run's first member).
    const gone = (q: number): boolean => !present[q] || unit.includes(q);
    for (let r = 0; r < unit.length;) {
      const firstOfRun = unit[r]!;
      let end = firstOfRun;
      for (r++; r < unit.length; r++) {
        let q = end + 1;
        while (q < unit[r]! && !present[q]) q++;
        if (q !== unit[r]) break;
        end = q;
      }
      let p = firstOfRun - 1;
      while (p >= 0 && gone(p)) p--;
      if (p < 0 || !sensitive[p]) continue;
      let z = end + 1;
      while (z < n && gone(z)) z++;
      if (z >= n || cls[z] !== cls[firstOfRun]) return false;
    }
    return true;
  }
}

function isDontcopy(f: VmaFacts): boolean {
  return (parseInt(f.key.split(',')[0]!, 16) & VM_DONTCOPY) !== 0;
}

/** The parent of the kept VMAs: the kept maps lines (with their smaps fields), or the kept specs. */
function keptParent(parent: ParentProcess, starts: ReadonlySet<number>, uprobe: ParentProcess['uprobe'] | null): ParentProcess {
  const rest = { ...(uprobe ? { uprobe } : {}), uffd: parent.uffd ?? null };
  if (parent.maps !== undefined) {
    const out: string[] = [];
    let keep = false;
    const text = parent.maps.startsWith('\uFEFF') ? parent.maps.slice(1) : parent.maps;
    for (const full of text.split('\n')) {
      const raw = full.endsWith('\r') ? full.slice(0, -1) : full;
      if (raw === '') continue;
      const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(raw);
      if (m) {
        const start = parseInt(m[1]!, 16);
        keep = start >= TASK_SIZE || starts.has(start);
      }
      if (keep) out.push(raw);
    }
    return { maps: out.map((l) => `${l}\n`).join(''), ...rest };
  }
  return { specs: (parent.specs ?? []).filter((s) => starts.has(s.start)), ...rest };
}

const cache = new WeakMap<ParentProcess, Map<number, CompressedParent | null>>();

/** The margin each compressed parent object was made with, for its model's name. */
const margins = new WeakMap<ParentProcess, number>();

/**
 * The compressed parent of `parent` for searches at preemption bound `bound`, or null when nothing
 * can be deleted, or the parent is one compression does not take (one that exits or unmaps after
 * the fork: its walk past the marker names the VMAs it frees). Cached per parent object.
 */
export function compressParent(parent: ParentProcess, bound: number): CompressedParent | null {
  parentArg('compressParent', 'parent', parent);
  const margin = compressionMargin(bound);
  let byMargin = cache.get(parent);
  if (!byMargin) cache.set(parent, (byMargin = new Map()));
  if (byMargin.has(margin)) return byMargin.get(margin)!;
  const result = compute(parent, margin);
  byMargin.set(margin, result);
  return result;
}

function compute(parent: ParentProcess, margin: number): CompressedParent | null {
  if (parent.afterFork !== undefined || (parent.specs === undefined && parent.maps === undefined)) return null;
  const mm = latestParent(parent);
  const facts = factsOf(parent, mm);
  const { kept, classes } = keptVmas(facts, margin);
  const original: number[] = [];
  kept.forEach((k, i) => {
    if (k) original.push(i);
  });
  if (original.length === facts.length) return null;
  const vmas = vmasOf(mm);
  const starts = new Set(original.map((i) => vmas[i]!.vmStart));
  const small = keptParent(parent, starts, parentUprobe(parent));
  // The kept VMAs must be what they were: the same classes, built anew without the others.
  const smallMm = latestParent(small);
  const smallFacts = factsOf(small, smallMm);
  const smallVmas = vmasOf(smallMm);
  if (smallVmas.length !== original.length) return null;
  for (let j = 0; j < original.length; j++) {
    const a = facts[original[j]!]!;
    const b = smallFacts[j]!;
    if (smallVmas[j]!.vmStart !== vmas[original[j]!]!.vmStart || a.key !== b.key || a.needsCopy !== b.needsCopy || a.tables.join() !== b.tables.join()) return null;
  }
  margins.set(small, margin);
  return { parent: small, original, vmas: original.length, of: facts.length, classes, margin };
}


/** The margin a parent was compressed with, or null for a parent that is no compressed one. */
export function compressedMarginOf(parent: ParentProcess | undefined): number | null {
  return parent === undefined ? null : margins.get(parent) ?? null;
}
