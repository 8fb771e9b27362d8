/**
 * Files and their address_space: the i_mmap set is the file rmap that uprobes' build_map_info and
 * the i_mmap walkers use to go from a file to every VMA (and so every mm) mapping it.
 */
import { indexArg, MODEL_CLASS, show, stringArg } from './args.js';
import type { Page } from './page-table.js';
import type { Vma } from './vma.js';
import { fieldId } from './names.js';

/** Per-mapping callbacks (vm_operations_struct): open on every copy of a VMA, close on removal. */
export interface VmOps {
  readonly name: string;
  /** Counts open minus close calls per file, so a leak check can see unbalanced calls. */
  readonly counted: boolean;
}

export class AddressSpace {
  /** i_mmap: the VMAs mapping this file (an interval tree in the kernel; a set in insertion order here). */
  readonly iMmap = new Set<Vma>();
  /** i_mmap_writable: shared writable mappings. */
  writable = 0;
  constructor(readonly lockId: string) {
    stringArg('AddressSpace', 'lockId', lockId);
  }
}

export class File {
  readonly [MODEL_CLASS] = 'File';
  readonly mapping: AddressSpace;
  /** f_count: one per VMA mapping the file (get_file/fput) plus the opener's. */
  refs = 1;
  /** vm_ops->open minus vm_ops->close calls, when vmOps is counted. */
  opened = 0;
  /** Page-cache pages the file has (for file-backed faults; never freed in the model). */
  size: number;

  /** Page-cache pages by file page offset. */
  readonly pageCache = new Map<number, Page>();

  /** The device the inode lives on, as /proc/<pid>/maps prints it (major:minor in hex). */
  dev = '00:00';
  /** The inode number maps prints. */
  inodeNumber: number;

  constructor(readonly path: string, readonly inode: number, size: number, readonly vmOps: VmOps | null = null) {
    stringArg('File', 'path', path);
    indexArg('File', 'inode', inode);
    indexArg('File', 'size', size);
    if (vmOps !== null && (typeof vmOps !== 'object' || typeof vmOps.name !== 'string' || typeof vmOps.counted !== 'boolean')) {
      throw new TypeError(`File: vmOps must be null or { name: string, counted: boolean }, got ${show(vmOps)}`);
    }
    this.mapping = new AddressSpace(fieldId(path, 'i_mmap_rwsem'));
    this.size = size;
    this.inodeNumber = inode;
  }

  /** The page-cache page at file page `pgoff` (read in on first use). */
  cachePage(pgoff: number, pages: { newPage(anon: boolean): Page }): Page {
    let page = this.pageCache.get(pgoff);
    if (!page) {
      page = pages.newPage(false);
      this.pageCache.set(pgoff, page);
    }
    return page;
  }
}
