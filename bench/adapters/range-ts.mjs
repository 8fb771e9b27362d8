/**
 * range-ts RangeMap: exact range-map semantics but an unsorted array with linear scans (O(n) per
 * operation), so it runs at 1e3 and 1e4 only.
 */
import { BoundType, NumberRange, RangeMap } from 'range-ts';

// Split pieces come back half-open; turn them into closed integer bounds.
const lowOf = (r) => (r.lowerBoundType === BoundType.OPEN ? r.lowerEndpoint + 1 : r.lowerEndpoint);
const highOf = (r) => (r.upperBoundType === BoundType.OPEN ? r.upperEndpoint - 1 : r.upperEndpoint);

export class RangeTsMap {
  constructor() { this.m = new RangeMap(); }
  store(first, last, v) { this.m.put(NumberRange.closed(first, last), v); }
  load(x) { return this.m.get(x) ?? undefined; }

  erase(x) {
    const e = this.m.getEntry(x);
    if (e === null) return undefined;
    // remove() given the half-open piece getEntry returns leaves part of it behind (range-ts
    // 0.1.8), so pass the same integers as a closed range.
    this.m.remove(NumberRange.closed(lowOf(e[0]), highOf(e[0])));
    return e[1];
  }

  /**
   * asMapOfRanges sorts a copy by raw endpoint, which puts "(316, 321)" before "[316, 316]", so
   * re-sort on the integer bounds (and drop the empty "(315, 316)" pieces it keeps).
   */
  forEach(fn) {
    const out = [];
    for (const [r, v] of this.m.asMapOfRanges()) {
      const lo = lowOf(r);
      const hi = highOf(r);
      if (lo <= hi) out.push([lo, hi, v]);
    }
    out.sort((a, b) => a[0] - b[0]);
    for (const [lo, hi, v] of out) fn(v, lo, hi);
  }
}
