/**
 * Maple nodes (struct maple_node in its leaf_64, range_64 and arange_64 forms) and the per-tree
 * store that holds them.
 *
 * Layout follows the kernel: pivot[i] is the inclusive upper bound of slot i; slot 0 starts at the
 * node's minimum (implied by the parent, 0 at the root) and the last used slot ends at the node's
 * maximum. When fewer than all slots are used, the pivot at the data end is stored and equals the
 * node's maximum; only a full node leaves its last slot's bound implied. Pivots and slots past the
 * data end are kept at 0 / undefined, as mt_validate demands.
 *
 * Memory layout (where we differ from the kernel on purpose, for speed): a node is a small integer
 * id into its tree's NodeStore, which keeps every node's numbers in a few large typed arrays, like a
 * slab. Region `id` of the pivot arena holds 16 doubles: the pivots, then at offset 15 the metadata
 * word (data end, node type, dead bit) — the kernel keeps its metadata in the last slot too, but we
 * keep it valid at all times. In an allocation tree the region is 32 doubles, and arange_64's gaps
 * sit at offsets 16–25, next to its pivots and metadata, as in the kernel's one 256-byte node; its
 * child ids follow as 32-bit integers in doubles 26–30, so a gap walk's level is one place in
 * memory (the gap it tests and the child it enters share a cache line), not two. Slots live in one
 * array of 16 per region: user entries in leaves, child ids in internal nodes (an allocation tree's
 * arange_64 keeps them there too, for everything but the gap walks' descents; MapleNode.setSlot
 * writes both). A lookup therefore walks numbers only, touching two or three cache lines per level.
 * MapleNode objects are handles onto regions, made when code outside the lookup needs one (the
 * write path, cursors, validate); `pivots` and `gaps` are typed views of the region, so reading or
 * writing them reads or writes the arena.
 *
 * Freed regions are reused only after a grace period: at the next write when no RCU reader is
 * inside rcuReadLock() (the kernel's kfree_rcu), so a reader always sees a dead node as it was.
 */
import { MAPLE_ARANGE_64, MT_PIVOTS, type MapleType } from './constants.js';

/** Slots per node region in the slot arena; doubles per pivot region outside allocation trees. */
export const NODE_STRIDE = 16;
/** Offset of the metadata word in a pivot region. */
export const META = 15;
/** Offset of arange_64's gaps in an allocation tree's pivot region (of 2 · NODE_STRIDE doubles). */
export const GAPS = 16;
/** Gaps per arange_64 node (mt_slots[maple_arange_64]). */
const GAP_COUNT = 10;
/**
 * Offset, in 32-bit words, of arange_64's child ids in an allocation tree's pivot region (read
 * through NodeStore.kid): doubles 26–30, right after the gaps.
 */
export const KIDS = 2 * (GAPS + GAP_COUNT);
const END_MASK = 0xff;
const TYPE_SHIFT = 8;
const DEAD_BIT = 1 << 12;
/** Set when the region is handed back, so a second free is caught instead of sharing a region. */
const FREED_BIT = 1 << 13;
const GAP_OFFSET_SHIFT = 16;
const GAP_OFFSET_MASK = 0xf << GAP_OFFSET_SHIFT;
/** The data end recorded in a metadata word. */
export function metaEnd(meta: number): number {
  return meta & END_MASK;
}

/** The node type (enum maple_type) recorded in a metadata word. */
export function metaType(meta: number): MapleType {
  return ((meta >> TYPE_SHIFT) & 0xf) as MapleType;
}

/** Whether a metadata word is a dead node's (mte_set_node_dead). */
export function metaIsDead(meta: number): boolean {
  return (meta & DEAD_BIT) !== 0;
}

/** Whether a metadata word belongs to a leaf (maple_leaf_64, or the unused maple_dense). */
export function metaIsLeaf(meta: number): boolean {
  return ((meta >> TYPE_SHIFT) & 0xf) < 2;
}

/**
 * Chunks never move, so a view into one stays valid. Chunk 0 and chunk 1 hold 16 regions each and
 * chunk k ≤ 9 holds ids [16·2^(k−1), 16·2^k), so a small tree stays small; from id 4096 on, every
 * chunk holds 4096 regions, so a large one wastes at most one part-filled chunk.
 */
const FIRST_CHUNK = 16;
const BIG_CHUNK_SHIFT = 12;
const BIG_CHUNK = 1 << BIG_CHUNK_SHIFT;
/** Free regions below this never make a store sparse: small trees keep their ids. */
const SPARSE_MIN_FREE = 4096;

/** The chunk holding `id`. */
export function chunkOf(id: number): number {
  return id < BIG_CHUNK ? 32 - Math.clz32(id >>> 4) : 8 + (id >>> BIG_CHUNK_SHIFT);
}

/**
 * Offset of `id`'s region inside its slot chunk; its pivot region is this shifted left by the
 * store's `pivotShift` (1 in allocation trees, whose pivot regions are twice as wide).
 */
export function regionOf(id: number, chunk: number): number {
  if (id >= BIG_CHUNK) return (id & (BIG_CHUNK - 1)) << 4;
  return (chunk === 0 ? id : id - (8 << chunk)) << 4;
}

function chunkRegions(chunk: number): number {
  if (chunk === 0) return FIRST_CHUNK;
  return chunk <= 9 ? 8 << chunk : BIG_CHUNK;
}

/**
 * A stack of region ids that keeps its backing array: a plain array given up at every grace
 * period (or trimmed by pop) is allocated again by the next push, and in a build that was a
 * quarter of the bytes allocated. reset() lets a large one go (after a long RCU reader).
 */
class IdStack {
  #ids: number[] = [];
  length = 0;

  push(id: number): void {
    this.#ids[this.length++] = id;
  }

  /** The top id; the stack must not be empty. */
  pop(): number {
    return this.#ids[--this.length]!;
  }

  at(i: number): number {
    return this.#ids[i]!;
  }

  clear(): void {
    this.length = 0;
  }

  reset(): void {
    this.#ids = [];
    this.length = 0;
  }
}

export class NodeStore {
  /**
   * Pivot arena, in chunks: 15 pivots (9 for arange_64) and the metadata word per region; in
   * allocation trees also, from offset GAPS, the largest gap below each child of arange_64.
   */
  readonly piv: Float64Array[] = [];
  /** Slot arena, same chunks: user entries in leaves, child node ids in internal nodes. */
  readonly slot: unknown[][] = [];
  /** The pivot arena's chunks seen as 32-bit words, for arange_64's child ids (KIDS). */
  readonly kid: Uint32Array[] = [];
  /** Parent links by id: (parent id + 1) · 16 + offset in the parent; 0 for the root. */
  readonly link: number[] = [];
  /** Handles made so far, by id. */
  readonly handles: (MapleNode | undefined)[] = [];
  /** Regions ready for reuse. */
  readonly #free = new IdStack();
  /** Regions freed since the last grace period. */
  readonly #pending = new IdStack();
  #next = 0;
  /** Number of RCU readers inside rcuReadLock(). */
  readers = 0;
  /**
   * Nodes released since the writer last settled with the allocator. The write path hands them
   * back in one allocator.free() once the tree is consistent again, so no allocator code (a
   * subclass's free, which might write to the tree) runs while a store is half done.
   */
  released = 0;
  readonly withGaps: boolean;
  /** A pivot region's offset is its slot region's shifted left by this (regionOf). */
  readonly pivotShift: number;

  constructor(withGaps: boolean) {
    this.withGaps = withGaps;
    this.pivotShift = withGaps ? 1 : 0;
  }

  /** Regions in use or waiting for their grace period (capacity handed out). */
  get regions(): number {
    return this.#next - this.#free.length;
  }

  /** Regions the arenas hold, free or not (the high-water mark). */
  get capacity(): number {
    return this.#next;
  }

  /** A fresh, zeroed node of `type`. */
  create(type: MapleType): MapleNode {
    const id = this.#free.length > 0 ? this.#free.pop() : this.#grow();
    const c = chunkOf(id);
    const s = regionOf(id, c);
    const r = s << this.pivotShift;
    const p = this.piv[c]!;
    // Plain loops: fill() on a 16-element span costs more than the loop it saves. The slots need
    // none: a region is handed out fresh (filled with undefined) or after quiesce dropped its slots.
    for (let i = r; i < r + META; i++) p[i] = 0;
    p[r + META] = type << TYPE_SHIFT;
    // Gaps and child ids.
    if (this.withGaps) for (let i = r + GAPS; i < r + 2 * NODE_STRIDE; i++) p[i] = 0;
    this.link[id] = 0;
    // A handle quiesce() kept (outside RCU mode) becomes the new node's: a build makes a node per
    // few stores, and a fresh handle for each was a third of the bytes it allocated.
    const kept = this.handles[id];
    if (kept !== undefined) {
      kept.retype(type);
      return kept;
    }
    return this.#handle(id, type, c, s);
  }

  /** The handle of node `id`, made on first use. */
  node(id: number): MapleNode {
    const h = this.handles[id];
    if (h !== undefined) return h;
    const c = chunkOf(id);
    const s = regionOf(id, c);
    return this.#handle(id, ((this.piv[c]![(s << this.pivotShift) + META]! >> TYPE_SHIFT) & 0xf) as MapleType, c, s);
  }

  #handle(id: number, type: MapleType, chunk: number, slotRegion: number): MapleNode {
    const node = new MapleNode(this, id, type, this.piv[chunk]!, this.slot[chunk]!, slotRegion << this.pivotShift, slotRegion);
    this.handles[id] = node;
    return node;
  }

  /** Empties region `id`'s slots, so the entries a dead leaf held can be collected. */
  #dropSlots(id: number): void {
    const c = chunkOf(id);
    const r = regionOf(id, c);
    const s = this.slot[c]!;
    for (let i = r; i < r + NODE_STRIDE; i++) s[i] = undefined;
  }

  /** The id of node `id`'s parent, or -1 for the root. */
  parentId(id: number): number {
    return Math.floor(this.link[id]! / 16) - 1;
  }

  /** ma_free_rcu: `node` is dead; its region is reused after the next grace period. */
  release(node: MapleNode): void {
    const p = node.pv;
    const at = node.at + META;
    if ((p[at]! & FREED_BIT) !== 0) throw new Error(`maple node ${node.id} freed twice`);
    p[at] = p[at]! | FREED_BIT | DEAD_BIT;
    this.#pending.push(node.id);
    this.released++;
  }

  /** The nodes released since the last call, for the writer to give back to the allocator. */
  takeReleased(): number {
    const n = this.released;
    this.released = 0;
    return n;
  }

  /**
   * A grace period, if one can end now: with no reader inside rcuReadLock(), every region freed
   * before this point becomes reusable. Writers call it before they allocate. In RCU mode a freed
   * region's handle is dropped, so a reader holding it sees that its node is gone (the store has a
   * new handle for the region); otherwise (`keepHandles`) a cursor notices the write by the tree's
   * write count, and the handle is kept for the region's next node.
   */
  quiesce(keepHandles: boolean): void {
    const pending = this.#pending;
    if (this.readers > 0 || pending.length === 0) return;
    for (let i = 0; i < pending.length; i++) {
      const id = pending.at(i);
      if (!keepHandles) this.handles[id] = undefined;
      this.#dropSlots(id);
      this.#free.push(id);
    }
    // The backing array is kept for the next write's frees, unless a long reader made it large.
    if (pending.length > SPARSE_MIN_FREE) pending.reset();
    else pending.clear();
  }

  /** mtree_destroy: every region back to the store, handles forgotten. */
  clear(): void {
    this.piv.length = 0;
    this.kid.length = 0;
    this.slot.length = 0;
    this.link.length = 0;
    this.handles.length = 0;
    this.#free.reset();
    this.#pending.reset();
    this.#next = 0;
  }

  /**
   * Whether most of the arenas are free regions (after a long RCU reader, or a tree that shrank):
   * then copying or keeping them costs more than the live nodes warrant.
   */
  get sparse(): boolean {
    const free = this.#free.length;
    return free >= SPARSE_MIN_FREE && free > 2 * (this.#next - free);
  }

  /** Whether the arenas may be rebuilt now: no reader may still be looking at a region. */
  get quiet(): boolean {
    return this.readers === 0 && this.#pending.length === 0;
  }

  /**
   * Copies every region of `src` (dup): ids, pivots, gaps and slots stay as they are, so child
   * links need no rewriting. Handles are made lazily. For a dense source, the cheapest copy.
   */
  copyFrom(src: NodeStore): void {
    this.clear();
    for (let c = 0; c < src.piv.length; c++) {
      this.#pushPivots(src.piv[c]!.slice());
      this.slot.push(src.slot[c]!.slice());
    }
    for (let i = 0; i < src.#next; i++) this.link.push(src.link[i]!);
    this.#next = src.#next;
    // Regions free or pending in the source are simply free here.
    for (let i = 0; i < src.#free.length; i++) this.#free.push(src.#free.at(i));
    for (let i = 0; i < src.#pending.length; i++) {
      const id = src.#pending.at(i);
      this.#dropSlots(id);
      this.#free.push(id);
    }
  }

  /**
   * Copies only the subtree of `src` under `rootId` (mas_dup_build's node-by-node copy), giving its
   * nodes consecutive ids in pre-order; returns the root's new id. The arenas are sized by the
   * live nodes, whatever the source's high-water mark.
   */
  copyLive(src: NodeStore, rootId: number): number {
    this.clear();
    const root = this.#copyRegion(src, rootId);
    this.link[root] = 0;
    return root;
  }

  #copyRegion(src: NodeStore, id: number): number {
    const to = this.#grow();
    const sc = chunkOf(id);
    const sr = regionOf(id, sc);
    const dc = chunkOf(to);
    const dr = regionOf(to, dc);
    const sp = src.piv[sc]!;
    const shift = this.pivotShift;
    const psr = sr << shift;
    this.piv[dc]!.set(sp.subarray(psr, psr + (NODE_STRIDE << shift)), dr << shift);
    const ss = src.slot[sc]!;
    // Chunks never move, so `ds` stays this region's slot chunk while the children are copied.
    const ds = this.slot[dc]!;
    const meta = sp[psr + META]!;
    const end = metaEnd(meta);
    if (metaIsLeaf(meta)) {
      for (let i = 0; i <= end; i++) ds[dr + i] = ss[sr + i];
      return to;
    }
    const kids = metaType(meta) === MAPLE_ARANGE_64 && this.withGaps ? this.kid[dc]! : null;
    for (let i = 0; i <= end; i++) {
      const child = this.#copyRegion(src, ss[sr + i] as number);
      ds[dr + i] = child;
      if (kids !== null) kids[(dr << 2) + KIDS + i] = child;
      this.link[child] = (to + 1) * 16 + i;
    }
    return to;
  }

  /** Takes over the arenas of `other` (a compacted copy of this store); `other` is left empty. */
  adopt(other: NodeStore): void {
    this.clear();
    this.piv.push(...other.piv);
    this.kid.push(...other.kid);
    this.slot.push(...other.slot);
    for (let i = 0; i < other.#next; i++) this.link.push(other.link[i]!);
    this.#next = other.#next;
    other.clear();
  }

  #pushPivots(chunk: Float64Array): void {
    this.piv.push(chunk);
    this.kid.push(new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.length * 2));
  }

  #grow(): number {
    const id = this.#next++;
    const c = chunkOf(id);
    if (c === this.piv.length) {
      const size = chunkRegions(c) * NODE_STRIDE;
      this.#pushPivots(new Float64Array(size << this.pivotShift));
      this.slot.push(new Array<unknown>(size).fill(undefined));
    }
    this.link.push(0);
    return id;
  }
}

export class MapleNode {
  readonly store: NodeStore;
  readonly id: number;
  /** enum maple_type (changes only when the region is handed to a new node: retype). */
  type: MapleType;
  /** The pivot and slot chunks holding this node's regions, and the regions' offsets in them: hot
   *  paths read `pv[at + i]` and `sl[st + i]` rather than going through `pivots` or `slot()`. */
  readonly pv: Float64Array;
  readonly sl: unknown[];
  readonly at: number;
  readonly st: number;
  /** arange_64 only: the chunk holding this node's gaps at `gp[at + GAPS + i]` (its pivot chunk;
   *  null otherwise). Hot paths read it directly; `gaps` is a view for everything else. */
  gp: Float64Array | null;
  #pivots: Float64Array | null = null;

  constructor(store: NodeStore, id: number, type: MapleType, chunk: Float64Array, slots: unknown[], region: number, slotRegion: number) {
    this.store = store;
    this.id = id;
    this.type = type;
    this.pv = chunk;
    this.sl = slots;
    this.at = region;
    this.st = slotRegion;
    this.gp = type === MAPLE_ARANGE_64 && store.withGaps ? chunk : null;
  }

  /**
   * The region's new node is of `type` (NodeStore.create reusing this handle).
   * @internal
   */
  retype(type: MapleType): void {
    this.type = type;
    this.gp = type === MAPLE_ARANGE_64 && this.store.withGaps ? this.pv : null;
    this.#pivots = null;
  }

  /**
   * Inclusive upper bounds: a view of the region (length mt_pivots[type]: 15, or 9 for arange_64).
   * Made on first use: most handles (every node a write creates, every node a cursor passes) are
   * read through pv/at only, and a typed-array view costs more to make than the handle itself.
   */
  get pivots(): Float64Array {
    return (this.#pivots ??= new Float64Array(this.pv.buffer, this.at * 8, MT_PIVOTS[this.type]!));
  }

  /**
   * arange_64 only: largest run of empty indices below each child; null for other types. A new
   * view at each call (a cached one would be a field more in every handle, 2 bytes a range).
   */
  get gaps(): Float64Array | null {
    if (this.gp === null) return null;
    return new Float64Array(this.gp.buffer, (this.at + GAPS) * 8, GAP_COUNT);
  }

  /** Metadata: offset of the last used slot (ma_meta_end / ma_data_end). */
  get end(): number {
    return this.pv[this.at + META]! & END_MASK;
  }

  set end(v: number) {
    const m = this.pv[this.at + META]!;
    this.pv[this.at + META] = (m & ~END_MASK) | v;
  }

  /** Replaced and awaiting its grace period (mte_set_node_dead); readers that see it restart. */
  get dead(): boolean {
    return (this.pv[this.at + META]! & DEAD_BIT) !== 0;
  }

  set dead(v: boolean) {
    const m = this.pv[this.at + META]!;
    this.pv[this.at + META] = v ? m | DEAD_BIT : m & ~DEAD_BIT;
  }

  /** Parent node; null for the root node (whose kernel parent is the tree itself). */
  get parent(): MapleNode | null {
    const up = this.store.parentId(this.id);
    return up < 0 ? null : this.store.node(up);
  }

  set parent(p: MapleNode | null) {
    const link = this.store.link;
    link[this.id] = (p === null ? 0 : (p.id + 1) * 16) + (link[this.id]! % 16);
  }

  /** ma_is_root: no parent (read from the link word, without making the parent's handle). */
  get isRoot(): boolean {
    return this.store.link[this.id]! < 16;
  }

  /** Offset of this node in its parent's slots (the parent-slot bits of the kernel's parent word). */
  get parentSlot(): number {
    return this.store.link[this.id]! % 16;
  }

  set parentSlot(slot: number) {
    const link = this.store.link;
    link[this.id] = link[this.id]! - (link[this.id]! % 16) + slot;
  }

  /** Metadata, arange_64 only: offset of the child holding the largest gap (ma_meta_gap). */
  get gapOffset(): number {
    return (this.pv[this.at + META]! & GAP_OFFSET_MASK) >> GAP_OFFSET_SHIFT;
  }

  set gapOffset(v: number) {
    const m = this.pv[this.at + META]!;
    this.pv[this.at + META] = (m & ~GAP_OFFSET_MASK) | (v << GAP_OFFSET_SHIFT);
  }

  /** ma_is_leaf() */
  get isLeaf(): boolean {
    return this.type < 2;
  }

  /** Slot `i`: the user entry in a leaf, the child node in an internal node. */
  slot(i: number): unknown {
    const v = this.sl[this.st + i];
    if (this.type < 2 || v === undefined) return v;
    return this.store.node(v as number);
  }

  /** The child in slot `i` of an internal node. */
  child(i: number): MapleNode {
    return this.store.node(this.sl[this.st + i] as number);
  }

  /** Sets slot `i`: a user entry in a leaf, a child node (or undefined) in an internal node. */
  setSlot(i: number, v: unknown): void {
    if (this.type < 2) {
      this.sl[this.st + i] = v;
      return;
    }
    const id = v === undefined ? undefined : (v as MapleNode).id;
    this.sl[this.st + i] = id;
    // gp is set exactly for an allocation tree's arange_64, whose child ids are in its region too.
    if (this.gp !== null) this.store.kid[chunkOf(this.id)]![(this.at << 1) + KIDS + i] = id ?? 0;
  }

  /** The child id in slot `i` of an allocation tree's arange_64, from its pivot region. */
  kidAt(i: number): number {
    return this.store.kid[chunkOf(this.id)]![(this.at << 1) + KIDS + i]!;
  }
}

/** mas_safe_pivot: the upper bound of slot `piv` of `node` (whose range ends at `max`). */
export function masSafePivot(node: MapleNode, piv: number, max: number): number {
  return piv >= MT_PIVOTS[node.type]! ? max : node.pv[node.at + piv]!;
}

/** mas_safe_min: the lower bound of slot `offset` of `node` (whose range starts at `min`). */
export function masSafeMin(node: MapleNode, offset: number, min: number): number {
  return offset > 0 ? node.pv[node.at + offset - 1]! + 1 : min;
}
