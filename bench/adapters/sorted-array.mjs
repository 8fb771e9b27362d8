/**
 * Baseline: a range map in three parallel sorted arrays (first, last, value), binary search and
 * splice. Flat arrays win at small n in JS (FluidFramework's finding), so the curves should cross.
 */
import { allocLow, gapRev } from './gaps.mjs';

export class SortedArrayMap {
  constructor() {
    this.f = [];
    this.l = [];
    this.v = [];
  }

  /** Index of the last range with first <= x, or -1. */
  #floor(x) {
    const f = this.f;
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (f[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  store(first, last, v) {
    const i = this.#floor(first);
    const j = this.#floor(last);
    const lo = i >= 0 && this.l[i] >= first ? i : i + 1;
    const nf = [];
    const nl = [];
    const nv = [];
    // The pieces of the first and last overlapped ranges that stick out survive the overwrite.
    if (lo === i && this.f[i] < first) { nf.push(this.f[i]); nl.push(first - 1); nv.push(this.v[i]); }
    nf.push(first); nl.push(last); nv.push(v);
    if (j >= lo && this.l[j] > last) { nf.push(last + 1); nl.push(this.l[j]); nv.push(this.v[j]); }
    const del = j - lo + 1;
    if (del === 0 && nf.length === 1) {
      this.f.splice(lo, 0, first);
      this.l.splice(lo, 0, last);
      this.v.splice(lo, 0, v);
      return;
    }
    this.f.splice(lo, del, ...nf);
    this.l.splice(lo, del, ...nl);
    this.v.splice(lo, del, ...nv);
  }

  load(x) {
    const i = this.#floor(x);
    return i >= 0 && this.l[i] >= x ? this.v[i] : undefined;
  }

  erase(x) {
    const i = this.#floor(x);
    if (i < 0 || this.l[i] < x) return undefined;
    const v = this.v[i];
    this.f.splice(i, 1);
    this.l.splice(i, 1);
    this.v.splice(i, 1);
    return v;
  }

  forEach(fn) {
    const { f, l, v } = this;
    for (let i = 0; i < f.length; i++) fn(v[i], f[i], l[i]);
  }

  clone() {
    const c = new SortedArrayMap();
    c.f = this.f.slice();
    c.l = this.l.slice();
    c.v = this.v.slice();
    return c;
  }

  walkRev(max, cb) {
    for (let i = this.#floor(max); i >= 0; i--) if (cb(this.f[i], this.l[i])) return;
  }

  walkFwd(min, cb) {
    let i = this.#floor(min);
    if (i < 0 || this.l[i] < min) i++;
    for (; i < this.f.length; i++) if (cb(this.f[i], this.l[i])) return;
  }

  gapRev(min, max, size) { return gapRev(this, min, max, size); }
  alloc(size, v, min, max) { return allocLow(this, size, v, min, max); }
}
