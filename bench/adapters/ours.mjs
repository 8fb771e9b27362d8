/**
 * Our maple tree behind the same small interface as the peers' adapters, so workloads are shared.
 * The wrapper is one monomorphic call deep; V8 inlines it.
 */
import { MapleTree, MAX_INDEX } from '../../dist/index.js';

export class OursMap {
  constructor(opts = {}) {
    this.tree = opts.tree ?? new MapleTree({ allocRange: opts.alloc === true });
  }

  store(first, last, v) { this.tree.storeRange(first, last, v); }
  load(x) { return this.tree.load(x); }
  erase(x) { return this.tree.erase(x); }
  forEach(fn) { this.tree.forEach(fn); }

  /** The advanced API's mas_for_each loop: no generator, one cursor. */
  forEachMas(fn) {
    const mas = this.tree.state(0);
    for (let v = mas.find(MAX_INDEX); v !== undefined; v = mas.find(MAX_INDEX)) fn(v, mas.index, mas.last);
  }

  clone() { return new OursMap({ tree: this.tree.dup() }); }

  /** mas_empty_area_rev: start of the highest free run of `size` in [min, max], or -1. */
  gapRev(min, max, size) {
    const mas = this.tree.state(min);
    try {
      mas.emptyAreaRev(min, max, size);
    } catch {
      return -1;
    }
    return mas.index;
  }

  /** mtree_alloc_range: store v at the lowest free run of `size` in [min, max]; its start or -1. */
  alloc(size, v, min, max) {
    try {
      return this.tree.allocRange(size, v, min, max);
    } catch {
      return -1;
    }
  }
}
