/**
 * The kernel-wide state the model's tasks share: the object registry (for KASAN tombstones and leak
 * checks), the global mmlist that swapoff walks, the swap device, physical pages, committed memory,
 * files, userfaultfd fork events and the OOM victim. One Kernel per execution keeps runs independent.
 */
import { kernelConfigArg, MODEL_CLASS } from './args.js';
import { kernelConfig, LATEST_KERNEL, type KernelConfig } from './config.js';
import { File, type VmOps } from './file.js';
import type { KObject, ObjectRegistry } from './kasan.js';
import { MmSlotList } from './mm-slot.js';
import type { Page } from './page-table.js';
import type { Mm } from './mm.js';
import type { UffdCtx } from './vma.js';

/** One swap device: swap_map counts the references to each slot (swap PTEs). */
export class SwapDevice {
  readonly map = new Map<number, number>();
  /** Page ids of the contents, so swap-in restores the same data. */
  readonly contents = new Map<number, number>();
  #next = 1;

  allocate(pageId: number): number {
    const slot = this.#next++;
    this.map.set(slot, 1);
    this.contents.set(slot, pageId);
    return slot;
  }

  /** swap_duplicate */
  duplicate(slot: number): void {
    const n = this.map.get(slot);
    if (n === undefined) throw new RangeError(`swap slot ${slot} is not in use`);
    this.map.set(slot, n + 1);
  }

  /** swap_free */
  free(slot: number): void {
    const n = this.map.get(slot);
    if (n === undefined) throw new RangeError(`swap slot ${slot} is not in use`);
    if (n === 1) {
      this.map.delete(slot);
      this.contents.delete(slot);
    } else {
      this.map.set(slot, n - 1);
    }
  }

  get used(): number {
    return this.map.size;
  }

  /** Takes `other`'s slots and its next slot number (kernel-copy.ts). */
  copyFrom(other: SwapDevice): void {
    // forEach: a for-of over a Map's entries makes an array per entry.
    other.map.forEach((n, slot) => this.map.set(slot, n));
    other.contents.forEach((id, slot) => this.contents.set(slot, id));
    this.#next = other.#next;
  }
}

/** A fork event a userfaultfd monitor reads (UFFD_EVENT_FORK); fork sleeps until `read`. */
export interface UffdForkEvent {
  readonly parent: UffdCtx;
  readonly child: UffdCtx;
  read: boolean;
}

/** The configurations a Kernel has been made with, checked. */
const CHECKED_CONFIGS = new WeakSet<KernelConfig>();

export class Kernel implements ObjectRegistry {
  readonly [MODEL_CLASS] = 'Kernel';
  readonly live = new Set<KObject>();
  readonly #ids = new Map<string, number>();
  /** The mmlist after init_mm: mms that have swap entries, in list order. */
  readonly mmlist: Mm[] = [];
  readonly swap = new SwapDevice();
  readonly files = new Map<string, File>();
  readonly uffdEvents: UffdForkEvent[] = [];
  /** mms the OOM killer has chosen and queued for the reaper (each holds an mmgrab reference). */
  readonly oomVictims: Mm[] = [];
  /** ksmd's and khugepaged's registered mms. */
  readonly ksm = new MmSlotList('ksmd');
  readonly khugepaged = new MmSlotList('khugepaged');
  /** The walkers that got hold of a fork's child mm (see noteReach). */
  readonly reached = new Set<string>();
  /**
   * Set while the owner of a failed child's foreign VMAs (the parent) may still free them: a walker
   * reading one live is then recorded in `foreignVmaRead` and goes on, so the same run can show the
   * owner freeing it (derefVma), rather than stopping at the first read.
   */
  deferForeignVma = false;
  /** The first foreign-vma report deferred (see deferForeignVma), or null. */
  foreignVmaRead: string | null = null;
  /** The swap cache: the page a swapped-in slot was read into, shared by every mm that maps it. */
  readonly swapCache = new Map<number, Page>();
  /** vm_committed_as, in pages. */
  committed = 0;
  /** Anonymous pages in use (mapped by at least one PTE). */
  anonPages = 0;
  #nextPage = 1;
  /** Set by kernel-copy.ts while it fills this kernel in (ObjectRegistry.adopting). */
  adopting = false;

  constructor(readonly config: KernelConfig = kernelConfig(LATEST_KERNEL)) {
    // Once per configuration object (a KernelConfig is never changed in place): every execution
    // of a study makes a kernel, its parent's copy, with the same one.
    if (!CHECKED_CONFIGS.has(config)) {
      kernelConfigArg('Kernel', config);
      CHECKED_CONFIGS.add(config);
    }
  }

  /**
   * A walker got hold of `mm` (a reference, a lock or its list entry). When `mm` is a fork's child,
   * the study learns the walker has a path to it; a cell whose walker never reaches the child in any
   * execution is reported unreachable rather than verified.
   */
  noteReach(mm: Mm, who: string): void {
    if (mm.forkChild) this.reached.add(who);
  }

  /** Takes `other`'s object ids and page numbers, so the next object is named as `other`'s would be (kernel-copy.ts). */
  copyCountersFrom(other: Kernel): void {
    this.#ids.clear();
    other.#ids.forEach((n, kind) => this.#ids.set(kind, n));
    this.#nextPage = other.#nextPage;
  }

  nextId(kind: string): number {
    const n = (this.#ids.get(kind) ?? 0) + 1;
    this.#ids.set(kind, n);
    return n;
  }

  /** The file at `path`, created on first use; it grows to cover every mapping of it. */
  file(path: string, size: number, vmOps: VmOps | null = null): File {
    let f = this.files.get(path);
    if (!f) {
      f = new File(path, this.files.size + 1, size, vmOps);
      this.files.set(path, f);
    } else if (size > f.size) {
      f.size = size;
    }
    return f;
  }

  newPage(anon: boolean): Page {
    if (anon) this.anonPages++;
    return { id: this.#nextPage++, anon, mapcount: 0 };
  }

  /** Drops a PTE's reference to a page; an anonymous page is freed with its last mapping. */
  unmapPage(page: Page): void {
    page.mapcount--;
    if (page.mapcount < 0) throw new RangeError(`page ${page.id} mapcount underflow`);
    if (page.anon && page.mapcount === 0) this.anonPages--;
  }

  /** Live objects of one kind (for tests and leak reports). */
  liveOf(kind: string): KObject[] {
    return [...this.live].filter((o) => o.kind === kind);
  }
}
