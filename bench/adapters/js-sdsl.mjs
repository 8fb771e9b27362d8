/**
 * js-sdsl OrderedMap (red-black tree) as a range map: key = first, value = [last, v]; the same
 * store logic as the sorted-btree adapter, with iterators for the deletes.
 */
import { OrderedMap } from 'js-sdsl';
import { allocLow, gapRev } from './gaps.mjs';

export class SdslMap {
  constructor(map) {
    this.m = map ?? new OrderedMap();
  }

  store(first, last, v) {
    const m = this.m;
    const it = m.reverseLowerBound(first);
    if (it.isAccessible()) {
      const [pk, [pl, pv]] = it.pointer;
      if (pl >= first) {
        if (pk < first) m.setElement(pk, [first - 1, pv]);
        if (pl > last) { m.setElement(last + 1, [pl, pv]); m.setElement(first, [last, v]); return; }
      }
    }
    const q = m.reverseLowerBound(last);
    if (q.isAccessible()) {
      const [qk, [ql, qv]] = q.pointer;
      if (qk >= first && ql > last) m.setElement(last + 1, [ql, qv]);
    }
    // Erase keys in [first, last]; eraseElementByIterator hands back the next one.
    let e = m.lowerBound(first);
    while (e.isAccessible() && e.pointer[0] <= last) e = m.eraseElementByIterator(e);
    m.setElement(first, [last, v]);
  }

  load(x) {
    const it = this.m.reverseLowerBound(x);
    if (!it.isAccessible()) return undefined;
    const lv = it.pointer[1];
    return lv[0] >= x ? lv[1] : undefined;
  }

  erase(x) {
    const it = this.m.reverseLowerBound(x);
    if (!it.isAccessible()) return undefined;
    const lv = it.pointer[1];
    if (lv[0] < x) return undefined;
    this.m.eraseElementByIterator(it);
    return lv[1];
  }

  forEach(fn) {
    this.m.forEach((kv) => { fn(kv[1][1], kv[0], kv[1][0]); });
  }

  /** js-sdsl has no snapshot: the copy constructor re-inserts every pair, O(n log n). */
  clone() { return new SdslMap(new OrderedMap(this.m)); }

  walkRev(max, cb) {
    const front = this.m.front();
    if (front === undefined) return;
    // pre() past begin() throws, so stop at the smallest key instead.
    for (const it = this.m.reverseLowerBound(max); it.isAccessible(); it.pre()) {
      const [k, lv] = it.pointer;
      if (cb(k, lv[0]) || k === front[0]) return;
    }
  }

  walkFwd(min, cb) {
    let it = this.m.reverseLowerBound(min);
    if (!it.isAccessible() || it.pointer[1][0] < min) it = this.m.lowerBound(min);
    for (; it.isAccessible(); it.next()) {
      const [k, lv] = it.pointer;
      if (cb(k, lv[0])) return;
    }
  }

  gapRev(min, max, size) { return gapRev(this, min, max, size); }
  alloc(size, v, min, max) { return allocLow(this, size, v, min, max); }
}
