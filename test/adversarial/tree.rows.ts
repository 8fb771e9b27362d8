/** The rows for mapletree: its constructors, MapleTree's methods and MaState's, on a small tree. */
import { InternalEntry, MaState, MapleError, MapleTree, NodeAllocator, TreeInvariantError } from '../../src/index.js';
import type { Entry, Param } from './harness.js';

export interface TreeWorld {
  readonly tree: MapleTree<string>;
  readonly allocator: NodeAllocator;
  readonly mas: MaState;
}

function treeWorld(): TreeWorld {
  const allocator = new NodeAllocator();
  const tree = new MapleTree<string>({ allocRange: true, allocator });
  for (let i = 0; i < 40; i++) tree.storeRange(i * 20 + 10, i * 20 + 19, `e${i}`);
  return { tree, allocator, mas: tree.state(15) };
}

/** entries, dump, height and allocator counters; validate throws if the tree is broken. */
function structure(w: TreeWorld): string {
  w.tree.validate();
  const a = w.allocator;
  return JSON.stringify([[...w.tree.entries()], w.tree.dump(), w.tree.height, a.live, a.total, a.events], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

type P = Param<TreeWorld>;
const index = (name: string, good: number, optional = false): P => ({ name, kind: 'index', good: () => good, optional });
const entryP: P = { name: 'entry', kind: 'object', good: () => 'x', accepts: ANY_ENTRY() };
const fnP = (name: string, good: unknown): P => ({ name, kind: 'function', good: () => good });
const gfpP: P = { name: 'gfp', kind: 'string', good: () => 'kernel' };

/** The tree stores any value: an entry of any type is not a bad value. */
function ANY_ENTRY(): Record<string, string> {
  const why = 'a maple tree stores any value';
  return {
    ...Object.fromEntries(['null', 'a number', 'a numeric string', 'a BigInt', 'a plain object', 'an array', 'a function', 'a wrong class instance'].map((c) => [c, why])),
    undefined: 'storing undefined (NULL) erases the range',
  };
}

function method(name: string, params: P[], call: (w: TreeWorld, a: unknown[]) => unknown, more: Partial<Entry<TreeWorld>> = {}): Entry<TreeWorld> {
  return { name, world: treeWorld, structure, params, call, ...more };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the rows call every method with values of any type. */
const on = (m: string) => (w: TreeWorld, a: unknown[]): unknown => (w.tree as any)[m](...a);
const onMas = (m: string) => (w: TreeWorld, a: unknown[]): unknown => (w.mas as any)[m](...a);
const ctor = (C: new (...args: any[]) => unknown) => (_w: TreeWorld, a: unknown[]): unknown => new C(...a);
/* eslint-enable @typescript-eslint/no-explicit-any */
const drain = (m: string) => (w: TreeWorld, a: unknown[]): unknown => [...(on(m)(w, a) as Iterable<unknown>)];

const reversed = (name: string, args: unknown[], names: string, accepts?: string) => ({ name: `a reversed range (${name})`, args: () => args, names, ...(accepts === undefined ? {} : { accepts }) });
/** mt_find and so mt_for_each return NULL for index > max: an empty window holds nothing. */
const EMPTY_WINDOW = 'mt_find returns NULL when index > max (an empty window), as mt_for_each does';

export const TREE_ROWS: ReadonlyArray<Entry<TreeWorld>> = [
  method('MapleTree', [{ name: 'options', kind: 'options', good: () => ({}), optional: true }], ctor(MapleTree), {
    specials: [
      { name: 'allocRange of the wrong type', args: () => [{ allocRange: 'yes' }], names: 'allocRange' },
      { name: 'an allocator that is not a NodeAllocator', args: () => [{ allocator: {} }], names: 'allocator' },
    ],
  }),
  method('MapleTree.from', [{ name: 'items', kind: 'array', good: () => [[1, 2, 'a']] }], (_w, a) => MapleTree.from(a[0] as Iterable<[number, number, string]>), {
    specials: [reversed('from', [[[5, 1, 'a']]], 'last'), { name: 'an item that is not a triple', args: () => [[42]], names: 'item' }],
  }),
  method('MapleTree#load', [index('index', 15)], on('load')),
  method('MapleTree#has', [index('index', 15)], on('has')),
  method('MapleTree#store', [index('index', 1000), entryP], on('store')),
  method('MapleTree#storeRange', [index('first', 1000), index('last', 1010), entryP], on('storeRange'), { specials: [reversed('storeRange', [20, 10, 'x'], 'last')] }),
  method('MapleTree#insert', [index('index', 1000), { ...entryP, accepts: INSERTABLE() }], on('insert')),
  method('MapleTree#insertRange', [index('first', 1000), index('last', 1010), { ...entryP, accepts: INSERTABLE() }], on('insertRange'), { specials: [reversed('insertRange', [1010, 1000, 'x'], 'last')] }),
  method('MapleTree#erase', [index('index', 15)], on('erase')),
  method('MapleTree#allocRange', [index('size', 4), entryP, index('min', 0, true), index('max', 2 ** 40, true)], on('allocRange'), {
    specials: [reversed('allocRange', [4, 'x', 100, 10], 'max'), { name: 'an empty size', args: () => [0, 'x'], names: 'size' }, { name: 'a huge size', args: () => [2 ** 53 + 2, 'x'], names: 'size' }],
  }),
  method('MapleTree#allocRRange', [index('size', 4), entryP, index('min', 0, true), index('max', 2 ** 40, true)], on('allocRRange'), {
    specials: [reversed('allocRRange', [4, 'x', 100, 10], 'max'), { name: 'an empty size', args: () => [0, 'x'], names: 'size' }],
  }),
  method('MapleTree#allocCyclic', [entryP, index('min', 2000), index('max', 3000), { name: 'cursor', kind: 'options', good: () => ({ next: 2000 }) }], on('allocCyclic'), {
    specials: [reversed('allocCyclic', ['x', 3000, 2000, { next: 2000 }], 'max')],
  }),
  method('MapleTree#find', [index('index', 0), index('max', 2 ** 40, true)], on('find'), { specials: [reversed('find', [100, 10], 'max', EMPTY_WINDOW)] }),
  method('MapleTree#findAfter', [index('index', 0), index('max', 2 ** 40, true)], on('findAfter')),
  method('MapleTree#next', [index('index', 0), index('max', 2 ** 40, true)], on('next')),
  method('MapleTree#prev', [index('index', 500), index('min', 0, true)], on('prev')),
  method('MapleTree#entries', [index('min', 0, true), index('max', 2 ** 40, true)], drain('entries'), { specials: [reversed('entries', [100, 10], 'max', EMPTY_WINDOW)] }),
  method('MapleTree#entriesReverse', [index('min', 0, true), index('max', 2 ** 40, true)], drain('entriesReverse')),
  method('MapleTree#keys', [index('min', 0, true), index('max', 2 ** 40, true)], drain('keys')),
  method('MapleTree#values', [index('min', 0, true), index('max', 2 ** 40, true)], drain('values')),
  method('MapleTree#forEach', [fnP('fn', () => undefined)], on('forEach')),
  method('MapleTree#state', [index('index', 15), index('last', 15, true)], on('state'), { specials: [reversed('state', [20, 10], 'last')] }),
  method('MapleTree#setRcu', [{ name: 'on', kind: 'boolean', good: () => true }], on('setRcu')),
  method('MapleTree#dup', [{ ...gfpP, optional: true }], on('dup')),
  method('MapleTree#dump', [{ name: 'format', kind: 'string', good: () => 'hex', optional: true }], on('dump')),
  // MaState (the advanced API).
  method('MaState', [{ name: 'tree', kind: 'object', good: (w) => w.tree, imposter: () => new NodeAllocator() }, index('index', 15), index('last', 15, true)], ctor(MaState), {
    specials: [reversed('MaState', [], 'last')].map((s) => ({ ...s, args: (w: TreeWorld) => [w.tree, 20, 10] })),
  }),
  method('MaState#find', [index('max', 2 ** 40)], onMas('find')),
  method('MaState#findRange', [index('max', 2 ** 40)], onMas('findRange')),
  method('MaState#findRev', [index('min', 0)], onMas('findRev')),
  method('MaState#findRangeRev', [index('min', 0)], onMas('findRangeRev')),
  method('MaState#next', [index('max', 2 ** 40)], onMas('next')),
  method('MaState#nextRange', [index('max', 2 ** 40)], onMas('nextRange')),
  method('MaState#prev', [index('min', 0)], onMas('prev')),
  method('MaState#prevRange', [index('min', 0)], onMas('prevRange')),
  method('MaState#set', [index('index', 15)], onMas('set')),
  method('MaState#setRange', [index('first', 15), index('last', 16)], onMas('setRange'), { specials: [reversed('setRange', [20, 10], 'last')] }),
  method('MaState#emptyArea', [index('min', 0), index('max', 2 ** 40), index('size', 4)], onMas('emptyArea'), { specials: [reversed('emptyArea', [100, 10, 4], 'max')] }),
  method('MaState#emptyAreaRev', [index('min', 0), index('max', 2 ** 40), index('size', 4)], onMas('emptyAreaRev')),
  method('MaState#allocCyclic', [entryP, index('min', 2000), index('max', 3000), { name: 'cursor', kind: 'options', good: () => ({ next: 2000 }) }], onMas('allocCyclic')),
  method('MaState#store', [entryP], onMas('store')),
  method('MaState#storeGfp', [entryP, gfpP], onMas('storeGfp')),
  method('MaState#preallocate', [entryP, gfpP], onMas('preallocate')),
  // The other constructors.
  method('NodeAllocator', [], ctor(NodeAllocator)),
  method('NodeAllocator#allocate', [index('count', 1), gfpP], (w, a) => w.allocator.allocate(...(a as [number, 'kernel']))),
  method('NodeAllocator#failNth', [index('n', 1)], (w, a) => w.allocator.failNth(a[0] as number)),
  method('NodeAllocator#setNonKernel', [index('budget', 1)], (w, a) => w.allocator.setNonKernel(a[0] as number)),
  method('InternalEntry', [{ name: 'name', kind: 'string', good: () => 'x' }, index('value', 1)], ctor(InternalEntry)),
  method('MapleError', [{ name: 'code', kind: 'string', good: () => 'EINVAL' }, { name: 'message', kind: 'string', good: () => 'x' }], ctor(MapleError), {
    specials: [{ name: 'an errno name the tree does not know', args: () => ['EBOGUS', 'x'], names: 'code' }],
  }),
  method('TreeInvariantError', [{ name: 'path', kind: 'array', good: () => [0] }, index('min', 0), index('max', 10), { name: 'rule', kind: 'string', good: () => 'x' }], ctor(TreeInvariantError)),
];

/** insert takes any value; undefined (NULL) too, as mtree_insert_range does (0 over an empty range, EEXIST over a used one). */
function INSERTABLE(): Record<string, string> {
  return { ...ANY_ENTRY(), undefined: 'mtree_insert_range takes NULL: it stores nothing into an empty range and gives EEXIST over a used one' };
}
