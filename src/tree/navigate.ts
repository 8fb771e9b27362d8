/**
 * Cursor navigation: the ma_state state machine of the kernel's advanced read API (Linux 6.18
 * lib/maple_tree.c): mas_walk, mas_find(_range)(_rev), mas_next(_range), mas_prev(_range),
 * mas_pause, with the kernel's statuses and index/last updates.
 *
 * Everything here works on a `NavState` (the fields of struct ma_state the readers use), so MaState
 * (src/tree/state.ts) can delegate to these functions and tests can drive them directly.
 *
 * Staleness: in RCU mode a cursor that meets a dead node re-walks from its position, like
 * mas_rewalk_if_dead. Outside RCU mode the kernel trusts the caller to hold the lock; we instead
 * remember the tree's `writeSeq` when the cursor last walked and re-walk from the cursor's
 * position when it moved on, so a cursor never returns data from a node the tree no longer uses.
 */
import { MAPLE_NODE_SLOTS, MAX_INDEX } from './constants.js';
import type { MapleErrorCode } from './errors.js';
import type { MapleNode, TreeRoot } from './node.js';

/** enum maple_status. 'root' is ma_root: the tree holds only the [0,0] root-pointer entry. */
export type MaStatus = 'start' | 'active' | 'root' | 'none' | 'pause' | 'overflow' | 'underflow' | 'error';

/** The tree as the readers see it: its root plus the write counter. */
export interface NavTree extends TreeRoot {
  writeSeq: number;
}

/** The fields of struct ma_state that navigation reads and writes. */
export interface NavState {
  tree: NavTree;
  index: number;
  last: number;
  node: MapleNode | null;
  min: number;
  max: number;
  offset: number;
  end: number;
  depth: number;
  status: MaStatus;
  error: MapleErrorCode | null;
  /** tree.writeSeq when the cursor last walked from the root. */
  seq: number;
}

/** A fresh state in 'start' status (MA_STATE). All fields are set so every state has one shape. */
export function newNavState(tree: NavTree, index: number, last: number = index): NavState {
  return {
    tree, index, last, node: null, min: 0, max: MAX_INDEX, offset: 0, end: 0, depth: 0,
    status: 'start', error: null, seq: tree.writeSeq,
  };
}

/** mas_reset: forget the node, walk again from the root next time. */
export function masReset(mas: NavState): void {
  mas.status = 'start';
  mas.node = null;
}

/** mas_set_range */
export function masSetRange(mas: NavState, index: number, last: number): void {
  mas.index = index;
  mas.last = last;
  masReset(mas);
}

/** mas_set */
export function masSet(mas: NavState, index: number): void {
  masSetRange(mas, index, index);
}

/** mas_pause: the next call re-walks from the root (after the current range, or before it). */
export function masPause(mas: NavState): void {
  mas.status = 'pause';
  mas.node = null;
}

/** The status, read afresh (TypeScript would otherwise keep a narrowing across calls that change it). */
function statusOf(mas: NavState): MaStatus {
  return mas.status;
}

/**
 * True when the node the cursor sits on can no longer be trusted: dead, or (outside RCU mode) the
 * tree was written since the cursor walked. In RCU mode a reader outside rcuReadLock() may also
 * find its node's region handed to a new node after the grace period; the region then has a new
 * handle, so the one the cursor holds is no longer the store's.
 */
function isStale(mas: NavState, node: MapleNode): boolean {
  if (node.dead) return true;
  return mas.tree.rcu ? node.store.handles[node.id] !== node : mas.seq !== mas.tree.writeSeq;
}

/** An 'active' cursor whose node is stale goes back to 'start' so the next walk is from the root. */
function dropStale(mas: NavState): void {
  if (statusOf(mas) === 'active' && (mas.node === null || isStale(mas, mas.node))) masReset(mas);
}

/** mas_start: position at the root; returns the root-pointer entry when index is 0. */
function masStart(mas: NavState): unknown {
  if (statusOf(mas) !== 'start') return undefined;
  const tree = mas.tree;
  mas.min = 0;
  mas.max = MAX_INDEX;
  mas.depth = 0;
  mas.seq = tree.writeSeq;
  if (tree.root !== null) {
    mas.status = 'active';
    mas.node = tree.root;
    mas.offset = 0;
    return undefined;
  }
  mas.node = null;
  mas.offset = MAPLE_NODE_SLOTS;
  if (tree.rootEntry === undefined) {
    mas.status = 'none';
    return undefined;
  }
  mas.status = 'root';
  return mas.index > 0 ? undefined : tree.rootEntry;
}

/**
 * mtree_range_walk: descend from mas.node to the leaf slot covering mas.index; index/last become
 * that slot's range and min/max the leaf's. A dead node resets the state to 'start'.
 */
function rangeWalk(mas: NavState): unknown {
  const index = mas.index;
  let node = mas.node!;
  let min = mas.min;
  let max = mas.max;
  let depth = mas.depth;
  for (;;) {
    const pivots = node.pivots;
    const end = node.end;
    const nodeMin = min;
    const nodeMax = max;
    let off = 0;
    while (off < end && pivots[off]! < index) off++;
    if (off < end) max = pivots[off]!;
    if (off > 0) min = pivots[off - 1]! + 1;
    const next = node.slot(off);
    if (node.dead) {
      masReset(mas);
      return undefined;
    }
    if (node.type < 2) {
      mas.end = end;
      mas.offset = off;
      mas.index = min;
      mas.last = max;
      mas.min = nodeMin;
      mas.max = nodeMax;
      mas.node = node;
      mas.depth = depth;
      return next;
    }
    node = next as MapleNode;
    depth++;
  }
}

/** mas_state_walk */
function stateWalk(mas: NavState): unknown {
  const entry = masStart(mas);
  if (statusOf(mas) === 'none' || statusOf(mas) === 'root') return entry;
  return rangeWalk(mas);
}

/** mas_walk: the entry at mas.index, with index/last set to its range (empty or not). */
export function masWalk(mas: NavState): unknown {
  dropStale(mas);
  if (statusOf(mas) !== 'active' && statusOf(mas) !== 'start') mas.status = 'start';
  let entry: unknown;
  do entry = stateWalk(mas);
  while (statusOf(mas) === 'start');
  if (statusOf(mas) === 'none') {
    mas.index = 0;
    mas.last = MAX_INDEX;
  } else if (statusOf(mas) === 'root') {
    if (mas.index === 0) {
      mas.last = 0;
      return entry;
    }
    mas.index = 1;
    mas.last = MAX_INDEX;
    mas.status = 'none';
    return undefined;
  }
  return entry;
}

/** mas_rewalk: walk again from the root to the range holding `index`. */
function rewalk(mas: NavState, index: number): void {
  do {
    masSet(mas, index);
    stateWalk(mas);
  } while (statusOf(mas) === 'start');
}

/**
 * mas_ascend: move to the parent, recomputing min/max from the ancestors' pivots. Returns true when
 * a dead node was met (the caller re-walks).
 */
export function ascend(mas: NavState): boolean {
  const node = mas.node!;
  if (node.parent === null) {
    mas.offset = 0;
    return false;
  }
  if (node.dead) return true;
  const parent = node.parent;
  mas.offset = node.parentSlot;
  mas.node = parent;
  mas.depth--;
  if (parent.parent === null) {
    mas.min = 0;
    mas.max = MAX_INDEX;
    return false;
  }
  // The parent's bounds: its min is ours when we are its first child, its max is ours when we end
  // at MAX_INDEX; otherwise the nearest ancestor whose pivots bound it on that side tells.
  let min = 0;
  let max = MAX_INDEX;
  let haveMin = mas.offset === 0;
  if (haveMin) min = mas.min;
  let haveMax = mas.max === MAX_INDEX;
  let child = parent;
  while (!haveMin || !haveMax) {
    const up = child.parent!;
    const slot = child.parentSlot;
    if (!haveMin && slot > 0) {
      min = up.pivots[slot - 1]! + 1;
      haveMin = true;
    }
    if (!haveMax && slot < up.end) {
      max = up.pivots[slot]!;
      haveMax = true;
    }
    if (up.dead) return true;
    if (up.parent === null) break;
    child = up;
  }
  mas.min = min;
  mas.max = max;
  return false;
}

/**
 * mas_next_node: move to the next node at the same level (its first slot becomes reachable);
 * status 'overflow' when there is none below `max`. Returns true on a dead node.
 */
function nextNode(mas: NavState, max: number): boolean {
  let node = mas.node!;
  if (mas.max >= max || node.parent === null) {
    if (node.dead) return true;
    mas.status = 'overflow';
    return false;
  }
  const min = mas.max + 1;
  let level = 0;
  do {
    if (node.parent === null) {
      if (node.dead) return true;
      mas.status = 'overflow';
      return false;
    }
    if (ascend(mas)) return true;
    level++;
    node = mas.node!;
    if (node.dead) return true;
  } while (mas.offset === node.end);
  mas.offset++;
  let child = node.child(mas.offset);
  if (level > 1) mas.offset = 0;
  while (level > 1) {
    level--;
    node = child;
    child = node.child(0);
    mas.depth++;
    if (node.dead) return true;
  }
  mas.max = mas.offset < node.pivots.length ? node.pivots[mas.offset]! : mas.max;
  mas.end = child.end;
  if (node.dead) return true;
  mas.node = child;
  mas.depth++;
  mas.min = min;
  return false;
}

/**
 * mas_prev_node: move to the previous node at the same level, positioned on its last slot; status
 * 'underflow' when there is none at or above `min`. Returns true on a dead node.
 */
function prevNode(mas: NavState, min: number): boolean {
  let node = mas.node!;
  if (mas.min === 0 || mas.min - 1 < min) {
    if (node.dead) return true;
    mas.status = 'underflow';
    return false;
  }
  const max = mas.min - 1;
  let level = 0;
  let offset: number;
  do {
    if (node.parent === null) {
      if (node.dead) return true;
      mas.status = 'underflow';
      return false;
    }
    if (ascend(mas)) return true;
    offset = mas.offset;
    level++;
    node = mas.node!;
  } while (offset === 0);
  offset--;
  while (level > 1) {
    level--;
    const child = node.child(offset);
    if (node.dead) return true;
    node = child;
    offset = node.end;
    mas.depth++;
  }
  const target = node.child(offset);
  if (node.dead) return true;
  if (offset > 0) mas.min = node.pivots[offset - 1]! + 1;
  mas.max = max;
  mas.node = target;
  mas.depth++;
  mas.offset = target.end;
  if (target.dead) return true;
  mas.end = target.end;
  return false;
}

/**
 * The cursor re-walked after a change and found no node: the tree was emptied (or destroyed) while
 * the cursor was away. The kernel's mas_next_slot / mas_prev_slot would follow a NULL node here;
 * we answer what a search from the cursor's position finds in a tree that is empty or holds only
 * the [0, 0] root-pointer entry. Forward, nothing follows a position ≥ 0. Backward, the root
 * entry is found when the search may reach 0 (`min` is 0) and the cursor was past it.
 */
function afterEmptied(mas: NavState, forward: boolean, savePoint: number, min: number): unknown {
  const root = statusOf(mas) === 'root';
  if (!forward && root && min === 0 && savePoint > 0) {
    mas.index = mas.last = 0;
    return mas.tree.rootEntry;
  }
  mas.status = 'none';
  mas.index = root ? 1 : 0;
  mas.last = MAX_INDEX;
  return undefined;
}

/**
 * mas_next_slot: the entry of the next slot (the next non-NULL one unless `empty`), moving
 * index/last to its range; status 'overflow' past `max`.
 */
function nextSlot(mas: NavState, max: number, empty: boolean): unknown {
  const savePoint = mas.last;
  outer: for (;;) {
    if (mas.node === null) return afterEmptied(mas, true, savePoint, 0);
    let node = mas.node;
    if (isStale(mas, node)) {
      rewalk(mas, savePoint);
      continue;
    }
    let pivots = node.pivots;
    if (mas.max >= max) {
      const pivot = mas.offset < mas.end ? pivots[mas.offset]! : mas.max;
      if (pivot >= max) {
        mas.status = 'overflow';
        return undefined;
      }
    }
    let advance: boolean;
    if (mas.offset < mas.end) {
      mas.index = pivots[mas.offset]! + 1;
      advance = true;
    } else {
      if (mas.last >= max) {
        mas.status = 'overflow';
        return undefined;
      }
      if (nextNode(mas, max)) {
        rewalk(mas, savePoint);
        continue;
      }
      if (statusOf(mas) === 'overflow') return undefined;
      mas.offset = 0;
      mas.index = mas.min;
      node = mas.node!;
      pivots = node.pivots;
      mas.last = mas.end > 0 ? pivots[0]! : mas.max;
      advance = false;
    }
    for (;;) {
      if (advance) {
        mas.offset++;
        mas.last = mas.offset < mas.end ? pivots[mas.offset]! : mas.max;
      }
      const entry = node.slot(mas.offset);
      if (node.dead) {
        rewalk(mas, savePoint);
        continue outer;
      }
      if (entry !== undefined || empty) return entry;
      if (mas.last >= max) {
        mas.status = 'overflow';
        return undefined;
      }
      mas.index = mas.last + 1;
      // A NULL run that ends a node (only the right-most leaf may): go on in the next node.
      if (mas.offset >= mas.end) continue outer;
      advance = true;
    }
  }
}

/**
 * mas_prev_slot: the entry of the previous slot (the previous non-NULL one unless `empty`),
 * moving index/last to its range; status 'underflow' below `min`.
 */
function prevSlot(mas: NavState, min: number, empty: boolean): unknown {
  const savePoint = mas.index;
  for (;;) {
    if (mas.node === null) return afterEmptied(mas, false, savePoint, min);
    let node = mas.node;
    if (isStale(mas, node)) {
      rewalk(mas, savePoint);
      continue;
    }
    let pivots = node.pivots;
    if (mas.min <= min) {
      const pivot = mas.offset > 0 ? pivots[mas.offset - 1]! + 1 : mas.min;
      if (pivot <= min) {
        mas.status = 'underflow';
        return undefined;
      }
    }
    let rewind = false;
    for (;;) {
      if (mas.offset > 0) {
        mas.offset--;
        mas.last = mas.index - 1;
        mas.index = mas.offset > 0 ? pivots[mas.offset - 1]! + 1 : mas.min;
      } else {
        if (mas.index <= min) {
          mas.status = 'underflow';
          return undefined;
        }
        if (prevNode(mas, min)) {
          rewind = true;
          break;
        }
        if (statusOf(mas) === 'underflow') return undefined;
        mas.last = mas.max;
        node = mas.node!;
        pivots = node.pivots;
        mas.index = mas.offset > 0 ? pivots[mas.offset - 1]! + 1 : mas.min;
      }
      const entry = node.slot(mas.offset);
      if (node.dead) {
        rewind = true;
        break;
      }
      if (entry !== undefined || empty) return entry;
      if (mas.index <= min) {
        mas.status = 'underflow';
        return undefined;
      }
    }
    if (rewind) rewalk(mas, savePoint);
  }
}

/** mas_may_activate: resume on the remembered node when it still covers index, else re-walk. */
function mayActivate(mas: NavState): void {
  if (mas.node === null || mas.index > mas.max || mas.index < mas.min || isStale(mas, mas.node)) {
    mas.status = 'start';
  } else {
    mas.status = 'active';
  }
}

/** Result slot of the *_setup helpers: the entry to return when they finish the call. */
let setupEntry: unknown;

/** mas_next_setup: true when the call is finished (the entry is in setupEntry). */
function nextSetup(mas: NavState, max: number): boolean {
  setupEntry = undefined;
  const wasNone = statusOf(mas) === 'none';
  if (mas.last >= max) {
    mas.status = 'overflow';
    return true;
  }
  switch (mas.status) {
    case 'active':
      return false;
    case 'none':
    case 'pause':
    case 'start':
      mas.status = 'start';
      masWalk(mas);
      break;
    case 'overflow':
      mayActivate(mas);
      break;
    case 'underflow':
      mayActivate(mas);
      setupEntry = masWalk(mas);
      if (setupEntry !== undefined) return true;
      break;
    case 'root':
      break;
    case 'error':
      return true;
  }
  if (statusOf(mas) === 'active') return false;
  if (statusOf(mas) === 'root') {
    setupEntry = undefined;
    if (wasNone && mas.index === 0) {
      mas.index = mas.last = 0;
      return true;
    }
    mas.index = 1;
    mas.last = MAX_INDEX;
    mas.status = 'none';
    return true;
  }
  if (statusOf(mas) === 'none') return true;
  if (statusOf(mas) === 'start') {
    // An overflowed cursor whose node went stale: walk to where it stands and continue from there.
    masWalk(mas);
    return statusOf(mas) !== 'active';
  }
  return false;
}

/** mas_prev_setup */
function prevSetup(mas: NavState, min: number): boolean {
  setupEntry = undefined;
  if (mas.index <= min) {
    mas.status = 'underflow';
    return true;
  }
  switch (mas.status) {
    case 'active':
      dropStale(mas);
      if (statusOf(mas) === 'active') return false;
      break;
    case 'start':
      break;
    case 'none':
    case 'pause':
      mas.status = 'start';
      break;
    case 'underflow':
      mayActivate(mas);
      break;
    case 'overflow':
      mayActivate(mas);
      setupEntry = masWalk(mas);
      if (setupEntry !== undefined) return true;
      break;
    case 'root':
      break;
    case 'error':
      return true;
  }
  if (statusOf(mas) === 'start') masWalk(mas);
  if (statusOf(mas) === 'root') {
    if (mas.index === 0) {
      mas.status = 'none';
      return true;
    }
    mas.index = mas.last = 0;
    setupEntry = mas.tree.rootEntry;
    return true;
  }
  if (statusOf(mas) === 'none') {
    if (mas.index !== 0) {
      mas.index = mas.last = 0;
      mas.status = 'root';
      setupEntry = mas.tree.rootEntry;
      return true;
    }
    return true;
  }
  return false;
}

/** mas_find_setup */
function findSetup(mas: NavState, max: number): boolean {
  setupEntry = undefined;
  switch (mas.status) {
    case 'active':
      return mas.last >= max;
    case 'start':
      break;
    case 'pause':
      if (mas.last >= max) return true;
      mas.index = ++mas.last;
      mas.status = 'start';
      break;
    case 'none':
      if (mas.last >= max) return true;
      mas.index = mas.last;
      mas.status = 'start';
      break;
    case 'underflow':
      if (mas.index >= max) {
        mas.status = 'overflow';
        return true;
      }
      mayActivate(mas);
      setupEntry = masWalk(mas);
      if (setupEntry !== undefined) return true;
      break;
    case 'overflow':
      if (mas.last >= max) return true;
      mayActivate(mas);
      setupEntry = masWalk(mas);
      if (setupEntry !== undefined) return true;
      break;
    case 'root':
      break;
    case 'error':
      return true;
  }
  if (statusOf(mas) === 'start') {
    if (mas.index > max) return true;
    setupEntry = masWalk(mas);
    if (setupEntry !== undefined) return true;
  }
  if (statusOf(mas) === 'root') {
    mas.status = 'none';
    mas.index = 1;
    mas.last = MAX_INDEX;
    return true;
  }
  if (statusOf(mas) === 'none') return true;
  return mas.index === max;
}

/** mas_find_rev_setup */
function findRevSetup(mas: NavState, min: number): boolean {
  setupEntry = undefined;
  switch (mas.status) {
    case 'active':
      return mas.index < min;
    case 'start':
      break;
    case 'pause':
      if (mas.index <= min) {
        mas.status = 'underflow';
        return true;
      }
      mas.last = --mas.index;
      mas.status = 'start';
      break;
    case 'none':
      if (mas.index <= min) {
        mas.status = 'none';
        return true;
      }
      mas.last = mas.index;
      mas.status = 'start';
      break;
    case 'overflow':
      if (mas.index <= min) {
        mas.status = 'underflow';
        return true;
      }
      mas.status = 'active';
      break;
    case 'underflow':
      if (mas.index <= min) return true;
      mas.status = 'active';
      break;
    case 'root':
      break;
    case 'error':
      return true;
  }
  if (statusOf(mas) === 'start') {
    if (mas.index < min) return true;
    setupEntry = masWalk(mas);
    if (setupEntry !== undefined) return true;
  }
  if (statusOf(mas) === 'root') {
    mas.status = 'none';
    return true;
  }
  if (statusOf(mas) === 'none') {
    mas.last = mas.index = 0;
    mas.status = 'root';
    setupEntry = mas.tree.rootEntry;
    return true;
  }
  return mas.index < min;
}

/** mas_find: the first entry at or after the cursor, up to `max` (overflow is not reported). */
export function masFind(mas: NavState, max: number): unknown {
  if (findSetup(mas, max)) return setupEntry;
  const entry = nextSlot(mas, max, false);
  // The kernel ignores overflow here; a cursor whose tree was emptied stays 'none'.
  if (mas.node !== null) mas.status = 'active';
  return entry;
}

/** mas_find_range: like masFind, but stops at empty ranges too. */
export function masFindRange(mas: NavState, max: number): unknown {
  if (findSetup(mas, max)) return setupEntry;
  return nextSlot(mas, max, true);
}

/** mas_find_rev: the last entry at or before the cursor, down to `min`. */
export function masFindRev(mas: NavState, min: number): unknown {
  if (findRevSetup(mas, min)) return setupEntry;
  return prevSlot(mas, min, false);
}

/** mas_find_range_rev */
export function masFindRangeRev(mas: NavState, min: number): unknown {
  if (findRevSetup(mas, min)) return setupEntry;
  return prevSlot(mas, min, true);
}

/** mas_next: the next entry after the current range, starting at most at `max`. */
export function masNext(mas: NavState, max: number): unknown {
  if (nextSetup(mas, max)) return setupEntry;
  return nextSlot(mas, max, false);
}

/** mas_next_range: the next range, empty or not. */
export function masNextRange(mas: NavState, max: number): unknown {
  if (nextSetup(mas, max)) return setupEntry;
  return nextSlot(mas, max, true);
}

/** mas_prev: the previous entry before the current range, ending at least at `min`. */
export function masPrev(mas: NavState, min: number): unknown {
  if (prevSetup(mas, min)) return setupEntry;
  return prevSlot(mas, min, false);
}

/** mas_prev_range: the previous range, empty or not. */
export function masPrevRange(mas: NavState, min: number): unknown {
  if (prevSetup(mas, min)) return setupEntry;
  return prevSlot(mas, min, true);
}
