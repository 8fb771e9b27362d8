/**
 * /proc/<pid>/maps: build an mm from a real maps file and print an mm in exactly that format
 * (show_map_vma: "start-end perms offset major:minor inode", padded to column 73, then the name).
 * The [vsyscall] gate area is not a VMA of the tree; it is kept aside and printed last, as the kernel does.
 */
import { runSync } from '../explore/sync.js';
import {
  PAGE_SIZE, VM_ACCOUNT, VM_EXEC, VM_GROWSDOWN, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_READ, VM_SHARED,
  VM_WRITE,
} from './constants.js';
import type { Kernel } from './kernel.js';
import type { Mm } from './mm.js';
import { Vma } from './vma.js';
import { vmaLink } from './vma-link.js';
import { createMm } from './mm.js';

export interface MapsLine {
  readonly start: number;
  readonly end: number;
  readonly perms: string;
  readonly offset: number;
  readonly dev: string;
  readonly inode: number;
  readonly name: string;
}

const LINE = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+) ?(.*)$/;
const NAME_COLUMN = 73;

/** Parses the text of a maps file; throws a RangeError naming the line that does not parse. */
export function parseMaps(text: string): MapsLine[] {
  const out: MapsLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw === '') return;
    const m = LINE.exec(raw);
    if (!m) throw new RangeError(`maps line ${i + 1} does not parse: ${JSON.stringify(raw)}`);
    out.push({
      start: parseInt(m[1]!, 16), end: parseInt(m[2]!, 16), perms: m[3]!, offset: parseInt(m[4]!, 16),
      dev: m[5]!, inode: Number(m[6]!), name: m[7]!.trimStart(),
    });
  });
  return out;
}

/** vm_flags for a maps permission string, as do_mmap would have set them. */
export function flagsFromPerms(perms: string): number {
  let flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (perms[0] === 'r') flags |= VM_READ;
  if (perms[1] === 'w') flags |= VM_WRITE;
  if (perms[2] === 'x') flags |= VM_EXEC;
  if (perms[3] === 's') flags |= VM_MAYSHARE | (perms[1] === 'w' ? VM_SHARED : 0);
  else if (perms[1] === 'w') flags |= VM_ACCOUNT;
  return flags;
}

function isFileName(line: MapsLine): boolean {
  return line.inode !== 0 || (line.name.startsWith('/') && line.dev !== '00:00');
}

/** Builds an mm holding the VMAs of a maps file (no pages are populated). */
export function mmFromMaps(kernel: Kernel, text: string): Mm {
  const mm = createMm(kernel);
  for (const line of parseMaps(text)) {
    if (line.start > Number.MAX_SAFE_INTEGER || line.end > Number.MAX_SAFE_INTEGER) {
      if (line.name === '[vsyscall]') {
        mm.gateArea = line;
        continue;
      }
      throw new RangeError(`maps line ${line.name} lies above 2^53, outside the model's address space`);
    }
    let flags = flagsFromPerms(line.perms);
    let file = null;
    if (isFileName(line)) {
      file = kernel.file(line.name, line.offset + (line.end - line.start));
      file.dev = line.dev;
      file.inodeNumber = line.inode;
    }
    if (line.name === '[stack]') {
      flags |= VM_GROWSDOWN;
      mm.startStack = line.end - PAGE_SIZE;
    }
    if (line.name === '[heap]') {
      mm.startBrk = line.start;
      mm.brk = line.end;
    }
    const pgoff = file ? line.offset / PAGE_SIZE : line.start / PAGE_SIZE;
    const vma = new Vma(kernel, mm, line.start, line.end, flags, pgoff, file);
    if (!file && line.name !== '' && line.name !== '[heap]' && line.name !== '[stack]') vma.anonName = line.name;
    runSync(vmaLink(mm, vma, 'maps import'));
  }
  return mm;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The name show_map_vma prints for a VMA. */
function vmaName(mm: Mm, vma: Vma): string {
  if (vma.vmFile) return vma.vmFile.path;
  if (vma.anonName !== null) return vma.anonName;
  if (vma.vmStart <= mm.brk && vma.vmEnd >= mm.startBrk && mm.brk !== 0) return '[heap]';
  if (vma.vmStart <= mm.startStack && vma.vmEnd >= mm.startStack && mm.startStack !== 0) return '[stack]';
  return '';
}

function formatLine(start: number, end: number, perms: string, offset: number, dev: string, inode: number, name: string): string {
  const prefix = `${hex8(start)}-${hex8(end)} ${perms} ${hex8(offset)} ${dev} ${inode} `;
  return name === '' ? prefix : `${prefix.padEnd(NAME_COLUMN - 1)} ${name}`;
}

/** Prints `mm` as /proc/<pid>/maps would. */
export function formatMaps(mm: Mm): string {
  const lines: string[] = [];
  mm.mmMt.forEach((slot) => {
    if (!(slot instanceof Vma)) return;
    const f = slot.vmFlags;
    const perms = `${f & VM_READ ? 'r' : '-'}${f & VM_WRITE ? 'w' : '-'}${f & VM_EXEC ? 'x' : '-'}${f & VM_MAYSHARE ? 's' : 'p'}`;
    const file = slot.vmFile;
    lines.push(formatLine(slot.vmStart, slot.vmEnd, perms, file ? slot.vmPgoff * PAGE_SIZE : 0,
      file ? file.dev : '00:00', file ? file.inodeNumber : 0, vmaName(mm, slot)));
  });
  const gate = mm.gateArea;
  if (gate) lines.push(formatLine(gate.start, gate.end, gate.perms, gate.offset, gate.dev, gate.inode, gate.name));
  return lines.map((l) => `${l}\n`).join('');
}
