/**
 * Parents that open doors the default parent keeps shut. SWAP_BELOW_TEXT: an anonymous VMA with a
 * page on swap lies below the probed text, so a fork that fails just after the text has put the
 * child on the mmlist and linked its text into the file's i_mmap, with the marker right above the
 * text — the layout in which swapoff's reference lets a uprobe registration reach the child after
 * 8ac662f5da19's dup_mmap_sem has been released (the fidelity review, defect 2).
 */
import type { ParentProcess } from './scenario.js';

export const SWAP_BELOW_TEXT_PARENT: ParentProcess = {
  specs: [
    { start: 0x400000, end: 0x401000, perms: 'rw-p', resident: 1, swapped: 1 },
    { start: 0x555555555000, end: 0x555555557000, perms: 'r-xp', file: { path: '/usr/bin/app', offset: 0x1000 }, resident: 1 },
    { start: 0x555555557000, end: 0x555555558000, perms: 'rw-p', file: { path: '/usr/bin/app', offset: 0x3000 }, resident: 1 },
  ],
  uprobe: { path: '/usr/bin/app', offset: 0x1000 },
  uffd: null,
};

/** The data VMA right after the text: a fatal signal there fails the fork with the text copied. */
export const SWAP_BELOW_TEXT_DATA_VMA = 2;
