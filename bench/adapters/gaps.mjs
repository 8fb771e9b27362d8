/**
 * Gap search emulated on a peer's ordered walk (no JS peer tracks gaps). Both scan ranges one by
 * one, so they cost O(ranges skipped), where our tree's gap tracking costs O(log n).
 * `walkRev(max, cb)` visits ranges with first <= max from the highest down; `walkFwd(min, cb)`
 * visits ranges with last >= min from the lowest up; cb(first, last) returns true to stop.
 */

/** Start of the highest free run of `size` inside [min, max], or -1 (mas_empty_area_rev). */
export function gapRev(map, min, max, size) {
  let hi = max;
  let found = -1;
  let done = false;
  map.walkRev(max, (f, l) => {
    if (l < hi) {
      const lo = Math.max(l + 1, min);
      if (hi >= lo && hi - lo + 1 >= size) { found = hi - size + 1; return true; }
    }
    if (f <= min) { done = true; return true; }
    hi = Math.min(hi, f - 1);
    return false;
  });
  if (found >= 0 || done) return found;
  return hi >= min && hi - min + 1 >= size ? hi - size + 1 : -1;
}

/** Store v at the lowest free run of `size` inside [min, max]; its start, or -1 (mtree_alloc_range). */
export function allocLow(map, size, v, min, max) {
  let lo = min;
  let found = -1;
  let done = false;
  map.walkFwd(min, (f, l) => {
    if (f > lo) {
      const hi = Math.min(f - 1, max);
      if (hi >= lo && hi - lo + 1 >= size) { found = lo; return true; }
    }
    if (l >= max) { done = true; return true; }
    lo = Math.max(lo, l + 1);
    return false;
  });
  if (found < 0 && !done && max - lo + 1 >= size) found = lo;
  if (found >= 0) map.store(found, found + size - 1, v);
  return found;
}
