/**
 * The libraries under test, by the name used on the command line, and the workloads each can run
 * honestly (an interval tree cannot overwrite, so it never gets a random-store workload).
 */
import { OursMap } from './ours.mjs';
import { SortedBTreeMap } from './sorted-btree.mjs';
import { SdslMap } from './js-sdsl.mjs';
import { SortedArrayMap } from './sorted-array.mjs';
import { FlattenMap, NodeIntervalMap } from './interval-trees.mjs';
import { RangeTsMap } from './range-ts.mjs';

const ALL = ['seq-store', 'load', 'iterate', 'rand-store', 'erase', 'gap-rev', 'alloc', 'dup', 'dup-writes', 'memory'];

export const LIBS = {
  maple: { label: 'maple (ours)', make: (o) => new OursMap(o), workloads: [...ALL, 'iterate-mas'] },
  'sorted-btree': { label: 'sorted-btree adapter', make: () => new SortedBTreeMap(), workloads: ALL },
  'js-sdsl': { label: 'js-sdsl OrderedMap adapter', make: () => new SdslMap(), workloads: ALL },
  'sorted-array': { label: 'sorted array (baseline)', make: () => new SortedArrayMap(), workloads: ALL },
  flatten: { label: '@flatten-js/interval-tree', make: () => new FlattenMap(), workloads: ['seq-store', 'load', 'memory'] },
  'node-interval-tree': { label: 'node-interval-tree', make: () => new NodeIntervalMap(), workloads: ['seq-store', 'load', 'memory'] },
  'range-ts': {
    label: 'range-ts RangeMap', make: () => new RangeTsMap(),
    workloads: ['seq-store', 'load', 'iterate', 'rand-store', 'erase', 'memory'], maxSize: 1e4,
  },
};
