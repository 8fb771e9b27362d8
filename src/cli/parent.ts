/**
 * The parent process of `study` and `explore` from the command line: `--maps FILE` (a saved
 * /proc/<pid>/maps or smaps), `--pid N` (that process's /proc/N/smaps, which is its maps with Rss:
 * and Swap: per VMA), `--uprobe PATH` (the probed file; its first executable mapping) and
 * `--uffd START-END` (a userfaultfd registration, which procfs does not show).
 */
import { readFileSync } from 'node:fs';
import { parseMaps, type MapsLine } from '../mm/maps.js';
import { parentVmaCount, type ParentProcess } from '../study/scenario.js';
import { UsageError, fsError } from './errors.js';
import { int } from './args.js';
import { readProcStable } from './proc.js';
import { didYouMean } from './suggest.js';

export interface ParentFlags {
  readonly maps?: string;
  readonly pid?: string;
  readonly uprobe?: string;
  readonly uffd?: string;
}

/** The parent the flags describe, for the study (StudyOptions.parent) and for replay. */
export interface ParentChoice {
  readonly parent: ParentProcess;
  /** Where it came from, for the table's heading: `/proc/42/smaps`, `shell.maps`. */
  readonly source: string;
  /** The flags that give this parent again, for the replay line: `--maps shell.maps --uffd 7f…-7f…`. */
  readonly flags: string;
  /** Its VMAs (the range of the fork loop's signal points). */
  readonly vmas: number;
}

const PAGE_SIZE = 4096;

function readProc(pid: number): { text: string; source: string } {
  try {
    return { text: readProcStable(`/proc/${pid}/smaps`), source: `/proc/${pid}/smaps` };
  } catch (smapsError) {
    const code = (smapsError as { code?: string }).code;
    if (code === 'ENOENT') throw new UsageError(`--pid ${pid}: no such process (no /proc/${pid}/smaps)`);
    try {
      return { text: readProcStable(`/proc/${pid}/maps`), source: `/proc/${pid}/maps` };
    } catch (mapsError) {
      throw fsError(mapsError, 'read', `/proc/${pid}/maps`);
    }
  }
}

function hexAddress(s: string, flag: string, whole: string): number {
  if (!/^(0x)?[0-9a-f]+$/i.test(s)) throw new UsageError(`--${flag} must be START-END in hexadecimal, got ${whole}`);
  const n = parseInt(s.replace(/^0x/i, ''), 16);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${flag}: ${s} is beyond the model's address space (2^53)`);
  if (n % PAGE_SIZE !== 0) throw new UsageError(`--${flag}: ${s} is not page aligned (4096)`);
  return n;
}

/** `7ffff7d00000-7ffff7d04000` (0x optional), page aligned, start below end. */
export function parseRange(value: string, flag: string): { start: number; end: number } {
  const parts = value.split('-');
  if (parts.length !== 2) throw new UsageError(`--${flag} must be START-END in hexadecimal, got ${value}`);
  const start = hexAddress(parts[0]!, flag, value);
  const end = hexAddress(parts[1]!, flag, value);
  if (start >= end) throw new UsageError(`--${flag}: the start must lie below the end, got ${value}`);
  return { start, end };
}

/** Reads and checks the parent flags; null means the study's default parent. */
export function parentFromFlags(flags: ParentFlags): ParentChoice | null {
  if (flags.maps !== undefined && flags.pid !== undefined) throw new UsageError('--maps and --pid both name the parent; give one');
  let text: string;
  let source: string;
  let given: string;
  if (flags.maps !== undefined) {
    try {
      text = readFileSync(flags.maps, 'utf8');
    } catch (error) {
      throw fsError(error, 'read', flags.maps);
    }
    source = flags.maps;
    given = `--maps ${flags.maps}`;
  } else if (flags.pid !== undefined) {
    ({ text, source } = readProc(int(flags.pid, 'pid')));
    given = `--pid ${flags.pid}`;
  } else {
    if (flags.uprobe !== undefined || flags.uffd !== undefined) throw new UsageError('--uprobe and --uffd need a parent: give --maps FILE or --pid N');
    return null;
  }
  let lines: MapsLine[];
  try {
    lines = parseMaps(text);
  } catch (error) {
    throw new UsageError(`${source}: ${(error as Error).message}`);
  }
  if (lines.length === 0) throw new UsageError(`${source} holds no mappings`);
  let uprobe: ParentProcess['uprobe'];
  if (flags.uprobe !== undefined) {
    const mapped = lines.filter((l) => l.name === flags.uprobe);
    if (mapped.length === 0) {
      const files = [...new Set(lines.filter((l) => l.name.startsWith('/')).map((l) => l.name))];
      throw new UsageError(`--uprobe: ${flags.uprobe} is not mapped by ${source}${didYouMean(flags.uprobe, files)}`);
    }
    const exec = mapped.find((l) => l.perms[2] === 'x') ?? mapped[0]!;
    uprobe = { path: flags.uprobe, offset: exec.offset };
    given += ` --uprobe ${flags.uprobe}`;
  }
  let uffd: ParentProcess['uffd'];
  if (flags.uffd !== undefined) {
    uffd = parseRange(flags.uffd, 'uffd');
    if (!lines.some((l) => l.start < uffd!.end && uffd!.start < l.end)) throw new UsageError(`--uffd: ${flags.uffd} covers no mapping of ${source}`);
    given += ` --uffd ${flags.uffd}`;
  }
  // One shape for study and replay alike: the model's name is a digest of this object.
  const parent: ParentProcess = { maps: text, ...(uprobe ? { uprobe } : {}), ...(uffd ? { uffd } : {}) };
  let vmas: number;
  try {
    vmas = parentVmaCount(parent);
  } catch (error) {
    throw new UsageError(`${source}: ${(error as Error).message}`);
  }
  return { parent, source, flags: given, vmas };
}
