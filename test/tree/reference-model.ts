/**
 * A deliberately simple range map with the maple tree's semantics, to test the tree against:
 * a sorted array of disjoint non-empty ranges.
 */
import { MAX_INDEX, ZERO_ENTRY } from '../../src/index.js';

export interface ModelRange {
  index: number;
  last: number;
  entry: unknown;
}

export class RangeModel {
  ranges: ModelRange[] = [];

  /** Position of the first range ending at or after `index`. */
  private lowerBound(index: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]!.last < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The range containing `index`, empty ones included (synthesised). */
  rangeAt(index: number): ModelRange {
    const i = this.lowerBound(index);
    const r = this.ranges[i];
    if (r !== undefined && r.index <= index) return r;
    const start = i === 0 ? 0 : this.ranges[i - 1]!.last + 1;
    return { index: start, last: r === undefined ? MAX_INDEX : r.index - 1, entry: undefined };
  }

  load(index: number): unknown {
    const e = this.rangeAt(index).entry;
    return e === ZERO_ENTRY ? undefined : e;
  }

  storeRange(first: number, last: number, entry: unknown): void {
    const from = this.lowerBound(first);
    let to = from;
    const replacement: ModelRange[] = [];
    while (to < this.ranges.length && this.ranges[to]!.index <= last) {
      const r = this.ranges[to]!;
      if (r.index < first) replacement.push({ index: r.index, last: first - 1, entry: r.entry });
      to++;
    }
    if (entry !== undefined) replacement.push({ index: first, last, entry });
    const tail = this.ranges[to - 1];
    if (to > from && tail!.last > last) replacement.push({ index: last + 1, last: tail!.last, entry: tail!.entry });
    this.ranges.splice(from, to - from, ...replacement);
  }

  /** True when all of [first, last] is empty. */
  isFree(first: number, last: number): boolean {
    const r = this.ranges[this.lowerBound(first)];
    return r === undefined || r.index > last;
  }

  erase(index: number): unknown {
    const r = this.rangeAt(index);
    if (r.entry === undefined) return undefined;
    this.storeRange(r.index, r.last, undefined);
    return r.entry;
  }

  /** Lowest (or highest) start of `size` free indices in [min, max], or -1. */
  gap(min: number, max: number, size: number, rev: boolean): number {
    const free: [number, number][] = [];
    let start = 0;
    for (const r of this.ranges) {
      if (r.index > start) free.push([start, r.index - 1]);
      start = r.last + 1;
    }
    if (this.ranges.length === 0 || this.ranges[this.ranges.length - 1]!.last < MAX_INDEX) free.push([start, MAX_INDEX]);
    if (rev) free.reverse();
    for (const [a0, b0] of free) {
      const a = Math.max(a0, min);
      const b = Math.min(b0, max);
      if (a <= b && b - a + 1 >= size) return rev ? b - size + 1 : a;
    }
    return -1;
  }

  /** Visible ranges (ZERO_ENTRY hidden) intersecting [min, max]. */
  visible(min = 0, max = MAX_INDEX): [number, number, unknown][] {
    return this.ranges.filter((r) => r.entry !== ZERO_ENTRY && r.last >= min && r.index <= max).map((r) => [r.index, r.last, r.entry]);
  }
}
