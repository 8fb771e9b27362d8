/**
 * Interval trees answer "which intervals contain x" but never overwrite or split, so they take
 * part in point-stabbing loads only: insert non-overlapping ranges, then search [x, x].
 */
import FlattenModule from '@flatten-js/interval-tree';
import { IntervalTree as NitTree } from 'node-interval-tree';

const FlattenTree = FlattenModule.IntervalTree ?? FlattenModule.default ?? FlattenModule;

export class FlattenMap {
  constructor() { this.t = new FlattenTree(); }
  /** Insert only: valid because the workloads that use it never overlap. */
  store(first, last, v) { this.t.insert([first, last], v); }
  load(x) {
    const hits = this.t.search([x, x]);
    return hits.length > 0 ? hits[0] : undefined;
  }
}

export class NodeIntervalMap {
  constructor() { this.t = new NitTree(); }
  /** Records go in directly: the default export's data wrapper adds an object per record. */
  store(first, last, v) { this.t.insert({ low: first, high: last, v }); }
  load(x) {
    const hits = this.t.search(x, x);
    return hits.length > 0 ? hits[0].v : undefined;
  }
}
