/**
 * /proc/<pid>/maps: build an mm from a real maps file and print an mm in exactly that format
 * (show_map_vma: "start-end perms offset major:minor inode", padded to column 73, then the name).
 * The [vsyscall] gate area is not a VMA of the tree; it is kept aside and printed last, as the kernel does.
 */
import { runSync } from '../explore/sync.js';
import { mmArg, show, stringArg } from './args.js';
import {
  PAGE_SIZE, TASK_SIZE, VM_ACCOUNT, VM_EXEC, VM_GROWSDOWN, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_READ, VM_SHARED,
  VM_WRITE,
} from './constants.js';
import { Kernel } from './kernel.js';
import type { Mm } from './mm.js';
import { MAX_MAP_COUNT } from './munmap.js';
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
  /** From smaps: the VMA's resident (Rss:) and swapped (Swap:) pages; absent in a maps file. */
  readonly rssPages?: number;
  readonly swapPages?: number;
}

const LINE = /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+) ?(.*)$/;
/** An smaps field line under a mapping line: "Rss:  12 kB", "VmFlags: rd wr mr", "THPeligible: 0". */
const SMAPS_FIELD = /^([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$/;
const KB = /^(\d+) kB$/;
const PERMS = /^[r-][w-][x-][ps]$/;
const NAME_COLUMN = 73;
/** The one mapping the kernel shows above TASK_SIZE (get_gate_vma; x86-64's vsyscall page). */
const GATE_NAME = '[vsyscall]';

type MutableMapsLine = { -readonly [K in keyof MapsLine]: MapsLine[K] };

/**
 * Parses the text of /proc/<pid>/maps or /proc/<pid>/smaps (a BOM and CRLF line ends are accepted).
 * Refuses, with a RangeError naming the line (number and text), what no kernel prints: a line that
 * does not parse, unaligned addresses, start >= end, a mapping above TASK_SIZE other than the
 * [vsyscall] gate area, lines that overlap or repeat (the kernel prints VMAs in address order, each
 * once), and more mappings than MAX_MAP_COUNT. smaps' Rss: and Swap: become rssPages and swapPages.
 */
export function parseMaps(text: string): MapsLine[] {
  if (typeof text !== 'string') throw new TypeError(`parseMaps: text must be a string, got ${show(text)}`);
  const out: MutableMapsLine[] = [];
  let prev: { line: MapsLine; at: number; raw: string } | null = null;
  let gate = false;
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  lines.forEach((full, i) => {
    const raw = full.endsWith('\r') ? full.slice(0, -1) : full;
    if (raw === '') return;
    const where = `maps line ${i + 1} (${JSON.stringify(raw)})`;
    const m = LINE.exec(raw);
    if (!m) {
      const field = SMAPS_FIELD.exec(raw);
      const current = out[out.length - 1];
      if (!field) throw new RangeError(`${where} does not parse`);
      if (!current) throw new RangeError(`${where} is an smaps field before any mapping line`);
      if (field[1] === 'Rss' || field[1] === 'Swap') {
        const kb = KB.exec(field[2]!);
        if (!kb || (Number(kb[1]) * 1024) % PAGE_SIZE !== 0) throw new RangeError(`${where}: ${field[1]} must be a whole number of pages in kB`);
        current[field[1] === 'Rss' ? 'rssPages' : 'swapPages'] = (Number(kb[1]) * 1024) / PAGE_SIZE;
      }
      return;
    }
    const line: MutableMapsLine = {
      start: parseInt(m[1]!, 16), end: parseInt(m[2]!, 16), perms: m[3]!, offset: parseInt(m[4]!, 16),
      dev: m[5]!, inode: Number(m[6]!), name: m[7]!.trimStart(),
    };
    if (line.end > TASK_SIZE) {
      if (line.name !== GATE_NAME || line.start < TASK_SIZE) throw new RangeError(`${where} lies above TASK_SIZE (0x${TASK_SIZE.toString(16)}) and is not the ${GATE_NAME} gate area`);
      if (gate) throw new RangeError(`${where} is a second gate area`);
      gate = true;
      out.push(line);
      return;
    }
    if (gate) throw new RangeError(`${where} follows the gate area, which the kernel prints last`);
    if (line.start % PAGE_SIZE !== 0 || line.end % PAGE_SIZE !== 0) throw new RangeError(`${where} has an address that is not a multiple of ${PAGE_SIZE}`);
    if (line.start >= line.end) throw new RangeError(`${where} starts at or after its end`);
    if (prev && line.start < prev.line.end) {
      const same = line.start === prev.line.start && line.end === prev.line.end;
      throw new RangeError(`${where} ${same ? 'repeats' : 'overlaps or comes before'} maps line ${prev.at} (${JSON.stringify(prev.raw)})`);
    }
    if (out.length >= MAX_MAP_COUNT) throw new RangeError(`${where} is mapping ${MAX_MAP_COUNT + 1}, more than MAX_MAP_COUNT (${MAX_MAP_COUNT})`);
    prev = { line, at: i + 1, raw };
    out.push(line);
  });
  return out;
}

/** vm_flags for a maps permission string, as do_mmap would have set them. */
export function flagsFromPerms(perms: string): number {
  if (!PERMS.test(stringArg('flagsFromPerms', 'perms', perms))) throw new RangeError(`flagsFromPerms: perms must look like "r-xp" ([r-][w-][x-][ps]), got ${JSON.stringify(perms)}`);
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

/** Builds an mm holding the VMAs of a maps (or smaps) file; no pages are populated. A refused file creates no mm. */
export function mmFromMaps(kernel: Kernel, text: string): Mm {
  if (!(kernel instanceof Kernel)) throw new TypeError(`mmFromMaps: kernel must be a Kernel, got ${show(kernel)}`);
  const lines = parseMaps(text);
  const mm = createMm(kernel);
  for (const line of lines) {
    if (line.start >= TASK_SIZE) {
      mm.gateArea = line;
      continue;
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
  mmArg('formatMaps', mm);
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
