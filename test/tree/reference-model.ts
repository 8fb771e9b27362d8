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

  /** The range containing `index`, empty ones included (synthesised). */
  rangeAt(index: number): ModelRange {
    let start = 0;
    for (const r of this.ranges) {
      if (index < r.index) return { index: start, last: r.index - 1, entry: undefined };
      if (index <= r.last) return r;
      start = r.last + 1;
    }
    return { index: start, last: MAX_INDEX, entry: undefined };
  }

  load(index: number): unknown {
    const e = this.rangeAt(index).entry;
    return e === ZERO_ENTRY ? undefined : e;
  }

  storeRange(first: number, last: number, entry: unknown): void {
    const out: ModelRange[] = [];
    for (const r of this.ranges) {
      if (r.last < first || r.index > last) {
        out.push(r);
        continue;
      }
      if (r.index < first) out.push({ index: r.index, last: first - 1, entry: r.entry });
      if (r.last > last) out.push({ index: last + 1, last: r.last, entry: r.entry });
    }
    if (entry !== undefined) out.push({ index: first, last, entry });
    out.sort((a, b) => a.index - b.index);
    this.ranges = out;
  }

  /** True when all of [first, last] is empty. */
  isFree(first: number, last: number): boolean {
    return this.ranges.every((r) => r.last < first || r.index > last);
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
