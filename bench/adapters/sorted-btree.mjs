/**
 * sorted-btree (BTree) as a range map: key = first, value = [last, v]. A store trims the range
 * that sticks out on the left, keeps the tail that sticks out on the right, deletes every key
 * inside [first, last] and inserts the new range.
 */
import BTreeModule from 'sorted-btree';
import { allocLow, gapRev } from './gaps.mjs';

// The package is CommonJS with `exports.default`; Node's ESM interop may wrap it once more.
const BTree = BTreeModule.default ?? BTreeModule;
const TOP = Number.MAX_SAFE_INTEGER;

export class SortedBTreeMap {
  constructor(tree) {
    this.t = tree ?? new BTree();
  }

  store(first, last, v) {
    const t = this.t;
    const p = t.getPairOrNextLower(first);
    if (p !== undefined && p[1][0] >= first) {
      const [pl, pv] = p[1];
      if (p[0] < first) t.set(p[0], [first - 1, pv]);
      // One range covering all of [first, last]: nothing inside to delete.
      if (pl > last) { t.set(last + 1, [pl, pv]); t.set(first, [last, v]); return; }
    }
    const q = t.getPairOrNextLower(last);
    if (q !== undefined && q[0] >= first && q[1][0] > last) t.set(last + 1, [q[1][0], q[1][1]]);
    t.deleteRange(first, last, true);
    t.set(first, [last, v]);
  }

  load(x) {
    const p = this.t.getPairOrNextLower(x);
    return p !== undefined && p[1][0] >= x ? p[1][1] : undefined;
  }

  erase(x) {
    const p = this.t.getPairOrNextLower(x);
    if (p === undefined || p[1][0] < x) return undefined;
    this.t.delete(p[0]);
    return p[1][1];
  }

  /** forEachPair: sorted-btree's fastest full walk. */
  forEach(fn) {
    this.t.forEachPair((k, lv) => { fn(lv[1], k, lv[0]); });
  }

  /** O(1) copy-on-write clone; both copies pay later as shared nodes are copied on write. */
  clone() { return new SortedBTreeMap(this.t.clone()); }

  walkRev(max, cb) {
    const reused = [];
    for (const [k, lv] of this.t.entriesReversed(max, reused)) if (cb(k, lv[0])) return;
  }

  walkFwd(min, cb) {
    const p = this.t.getPairOrNextLower(min);
    const start = p !== undefined && p[1][0] >= min ? p[0] : min;
    this.t.forRange(start, TOP, true, (k, lv) => (cb(k, lv[0]) ? { break: true } : undefined));
  }

  gapRev(min, max, size) { return gapRev(this, min, max, size); }
  alloc(size, v, min, max) { return allocLow(this, size, v, min, max); }
}
