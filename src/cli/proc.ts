/**
 * A live process's /proc/<pid>/maps or smaps, read as one consistent picture.
 *
 * procfs prints these files a page of its buffer at a time and finds its place again by address
 * before each page (m_start in fs/proc/task_mmu.c), so a process that maps, unmaps or merges VMAs
 * between two of those reads — any Node process, whose heap and threads do so all the time — can
 * show a VMA before and after the change, or lines that no single moment of the process had.
 * Reading again until two reads in a row give the same text settles on a picture the process held
 * for the length of both (usually at the first try); a process that never holds still for two reads
 * is read `tries` times and the last text is returned, for the maps parser to judge.
 */
import { readFileSync } from 'node:fs';

export function readProcStable(path: string, tries = 8): string {
  if (!Number.isInteger(tries) || tries < 2) throw new RangeError(`tries must be an integer of at least 2, got ${tries}`);
  let previous = readFileSync(path, 'utf8');
  for (let i = 1; i < tries; i++) {
    const text = readFileSync(path, 'utf8');
    if (text === previous) return text;
    previous = text;
  }
  return previous;
}
