/**
 * Cursor navigation: the ma_state state machine of the kernel's advanced read API (Linux 6.18
 * lib/maple_tree.c): mas_walk, mas_find(_range)(_rev), mas_next(_range), mas_prev(_range),
 * mas_pause, with the kernel's statuses and index/last updates.
 *
 * Everything here works on a `Mas` (struct ma_state, mas.ts), the same state the write path and
 * the gap search use; the public cursor MaState (state.ts) is a Mas, and tests drive these
 * functions directly.
 *
 * Staleness: in RCU mode a cursor that meets a dead node re-walks from its position, like
 * mas_rewalk_if_dead. Outside RCU mode the kernel trusts the caller to hold the lock; we instead
 * remember the tree's `writeSeq` when the cursor last walked and re-walk from the cursor's
 * position when it moved on, so a cursor never returns data from a node the tree no longer uses.
 */
import { MAX_INDEX, MT_PIVOTS } from './constants.js';
import { masAscend, masReset, masStart, statusOf, type Mas, type MaStatus } from './mas.js';
import { chunkOf, META, metaEnd, metaIsDead, metaIsLeaf, regionOf, type MapleNode } from './node.js';

export { masReset, type MaStatus };

/** mas_set_range */
export function masSetRange(mas: Mas, index: number, last: number): void {
  mas.index = index;
  mas.last = last;
  masReset(mas);
}

/** mas_set */
export function masSet(mas: Mas, index: number): void {
  masSetRange(mas, index, index);
}

/** mas_pause: the next call re-walks from the root (after the current range, or before it). */
export function masPause(mas: Mas): void {
  mas.status = 'pause';
  mas.node = null;
}

/**
 * True when the node the cursor sits on can no longer be trusted: dead, or (outside RCU mode) the
 * tree was written since the cursor walked. In RCU mode a reader outside rcuReadLock() may also
 * find its node's region handed to a new node after the grace period; the region then has a new
 * handle, so the one the cursor holds is no longer the store's.
 */
function isStale(mas: Mas, node: MapleNode): boolean {
  if (node.dead) return true;
  return mas.tree.rcu ? node.store.handles[node.id] !== node : mas.seq !== mas.tree.writeSeq;
}

/** An 'active' cursor whose node is stale goes back to 'start' so the next walk is from the root. */
function dropStale(mas: Mas): void {
  if (statusOf(mas) === 'active' && (mas.node === null || isStale(mas, mas.node))) masReset(mas);
}

/**
 * mtree_range_walk: descend from mas.node to the leaf slot covering mas.index; index/last become
 * that slot's range and min/max the leaf's. A dead node resets the state to 'start'. The descent
 * reads the arenas by node id, as lookup does; only the leaf's handle is fetched, for mas.node.
 */
function mtreeRangeWalk(mas: Mas): unknown {
  const index = mas.index;
  const store = mas.tree.nodes;
  const piv = store.piv;
  const shift = store.pivotShift;
  let id = mas.node!.id;
  let min = mas.min;
  let max = mas.max;
  let depth = mas.depth;
  for (;;) {
    const c = chunkOf(id);
    const s = regionOf(id, c);
    const base = s << shift;
    const pv = piv[c]!;
    const meta = pv[base + META]!;
    const end = metaEnd(meta);
    const nodeMin = min;
    const nodeMax = max;
    let off = 0;
    while (off < end && pv[base + off]! < index) off++;
    if (off < end) max = pv[base + off]!;
    if (off > 0) min = pv[base + off - 1]! + 1;
    const next = store.slot[c]![s + off];
    if (metaIsDead(meta)) {
      masReset(mas);
      return undefined;
    }
    if (metaIsLeaf(meta)) {
      mas.end = end;
      mas.offset = off;
      mas.index = min;
      mas.last = max;
      mas.min = nodeMin;
      mas.max = nodeMax;
      mas.node = store.node(id);
      mas.depth = depth;
      return next;
    }
    id = next as number;
    depth++;
  }
}

/** mas_state_walk */
function masStateWalk(mas: Mas): unknown {
  const entry = masStart(mas);
  if (statusOf(mas) === 'none' || statusOf(mas) === 'root') return entry;
  return mtreeRangeWalk(mas);
}

/** mas_walk: the entry at mas.index, with index/last set to its range (empty or not). */
export function masWalk(mas: Mas): unknown {
  dropStale(mas);
  if (statusOf(mas) !== 'active' && statusOf(mas) !== 'start') mas.status = 'start';
  let entry: unknown;
  do entry = masStateWalk(mas);
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
function masRewalk(mas: Mas, index: number): void {
  do {
    masSet(mas, index);
    masStateWalk(mas);
  } while (statusOf(mas) === 'start');
}

/**
 * mas_next_node: move to the next node at the same level (its first slot becomes reachable);
 * status 'overflow' when there is none below `max`. Returns true on a dead node.
 */
function masNextNode(mas: Mas, max: number): boolean {
  let node = mas.node!;
  if (mas.max >= max || node.isRoot) {
    if (node.dead) return true;
    mas.status = 'overflow';
    return false;
  }
  const min = mas.max + 1;
  let level = 0;
  do {
    if (node.isRoot) {
      if (node.dead) return true;
      mas.status = 'overflow';
      return false;
    }
    if (masAscend(mas)) return true;
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
  mas.max = mas.offset < MT_PIVOTS[node.type]! ? node.pv[node.at + mas.offset]! : mas.max;
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
function masPrevNode(mas: Mas, min: number): boolean {
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
    if (node.isRoot) {
      if (node.dead) return true;
      mas.status = 'underflow';
      return false;
    }
    if (masAscend(mas)) return true;
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
  if (offset > 0) mas.min = node.pv[node.at + offset - 1]! + 1;
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
function afterEmptied(mas: Mas, forward: boolean, savePoint: number, min: number): unknown {
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
function masNextSlot(mas: Mas, max: number, empty: boolean): unknown {
  const savePoint = mas.last;
  outer: for (;;) {
    if (mas.node === null) return afterEmptied(mas, true, savePoint, 0);
    let node = mas.node;
    if (isStale(mas, node)) {
      masRewalk(mas, savePoint);
      continue;
    }
    let pv = node.pv;
    let base = node.at;
    if (mas.max >= max) {
      const pivot = mas.offset < mas.end ? pv[base + mas.offset]! : mas.max;
      if (pivot >= max) {
        mas.status = 'overflow';
        return undefined;
      }
    }
    let advance: boolean;
    if (mas.offset < mas.end) {
      mas.index = pv[base + mas.offset]! + 1;
      advance = true;
    } else {
      if (mas.last >= max) {
        mas.status = 'overflow';
        return undefined;
      }
      if (masNextNode(mas, max)) {
        masRewalk(mas, savePoint);
        continue;
      }
      if (statusOf(mas) === 'overflow') return undefined;
      mas.offset = 0;
      mas.index = mas.min;
      node = mas.node!;
      pv = node.pv;
      base = node.at;
      mas.last = mas.end > 0 ? pv[base]! : mas.max;
      advance = false;
    }
    for (;;) {
      if (advance) {
        mas.offset++;
        mas.last = mas.offset < mas.end ? pv[base + mas.offset]! : mas.max;
      }
      const entry = node.slot(mas.offset);
      if (node.dead) {
        masRewalk(mas, savePoint);
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
function masPrevSlot(mas: Mas, min: number, empty: boolean): unknown {
  const savePoint = mas.index;
  for (;;) {
    if (mas.node === null) return afterEmptied(mas, false, savePoint, min);
    let node = mas.node;
    if (isStale(mas, node)) {
      masRewalk(mas, savePoint);
      continue;
    }
    let pv = node.pv;
    let base = node.at;
    if (mas.min <= min) {
      const pivot = mas.offset > 0 ? pv[base + mas.offset - 1]! + 1 : mas.min;
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
        mas.index = mas.offset > 0 ? pv[base + mas.offset - 1]! + 1 : mas.min;
      } else {
        if (mas.index <= min) {
          mas.status = 'underflow';
          return undefined;
        }
        if (masPrevNode(mas, min)) {
          rewind = true;
          break;
        }
        if (statusOf(mas) === 'underflow') return undefined;
        mas.last = mas.max;
        node = mas.node!;
        pv = node.pv;
        base = node.at;
        mas.index = mas.offset > 0 ? pv[base + mas.offset - 1]! + 1 : mas.min;
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
    if (rewind) masRewalk(mas, savePoint);
  }
}

/** mas_may_activate: resume on the remembered node when it still covers index, else re-walk. */
function masMayActivate(mas: Mas): void {
  if (mas.node === null || mas.index > mas.max || mas.index < mas.min || isStale(mas, mas.node)) {
    mas.status = 'start';
  } else {
    mas.status = 'active';
  }
}

/**
 * What a *_setup helper returns when the call goes on to walk the slots; anything else is the
 * entry the call returns (the kernel's setup helpers return true with the entry in an out-pointer).
 */
const CONTINUE: unique symbol = Symbol('continue');

/** mas_next_setup: CONTINUE, or the entry the call returns. */
function masNextSetup(mas: Mas, max: number): unknown {
  let entry: unknown = undefined;
  const wasNone = statusOf(mas) === 'none';
  if (mas.last >= max) {
    mas.status = 'overflow';
    return entry;
  }
  switch (mas.status) {
    case 'active':
      return CONTINUE;
    case 'none':
    case 'pause':
    case 'start':
      mas.status = 'start';
      masWalk(mas);
      break;
    case 'overflow':
      masMayActivate(mas);
      break;
    case 'underflow':
      masMayActivate(mas);
      entry = masWalk(mas);
      if (entry !== undefined) return entry;
      break;
    case 'root':
      break;
    case 'error':
      return entry;
  }
  if (statusOf(mas) === 'active') return CONTINUE;
  if (statusOf(mas) === 'root') {
    entry = undefined;
    if (wasNone && mas.index === 0) {
      mas.index = mas.last = 0;
      return entry;
    }
    mas.index = 1;
    mas.last = MAX_INDEX;
    mas.status = 'none';
    return entry;
  }
  if (statusOf(mas) === 'none') return entry;
  if (statusOf(mas) === 'start') {
    // An overflowed cursor whose node went stale: walk to where it stands and continue from there.
    masWalk(mas);
    return statusOf(mas) !== 'active' ? entry : CONTINUE;
  }
  return CONTINUE;
}

/** mas_prev_setup */
function masPrevSetup(mas: Mas, min: number): unknown {
  let entry: unknown = undefined;
  if (mas.index <= min) {
    mas.status = 'underflow';
    return entry;
  }
  switch (mas.status) {
    case 'active':
      dropStale(mas);
      if (statusOf(mas) === 'active') return CONTINUE;
      break;
    case 'start':
      break;
    case 'none':
    case 'pause':
      mas.status = 'start';
      break;
    case 'underflow':
      masMayActivate(mas);
      break;
    case 'overflow':
      masMayActivate(mas);
      entry = masWalk(mas);
      if (entry !== undefined) return entry;
      break;
    case 'root':
      break;
    case 'error':
      return entry;
  }
  if (statusOf(mas) === 'start') masWalk(mas);
  if (statusOf(mas) === 'root') {
    if (mas.index === 0) {
      mas.status = 'none';
      return entry;
    }
    mas.index = mas.last = 0;
    entry = mas.tree.rootEntry;
    return entry;
  }
  if (statusOf(mas) === 'none') {
    if (mas.index !== 0) {
      mas.index = mas.last = 0;
      mas.status = 'root';
      entry = mas.tree.rootEntry;
      return entry;
    }
    return entry;
  }
  return CONTINUE;
}

/** mas_find_setup */
function masFindSetup(mas: Mas, max: number): unknown {
  let entry: unknown = undefined;
  switch (mas.status) {
    case 'active':
      return mas.last >= max ? entry : CONTINUE;
    case 'start':
      break;
    case 'pause':
      if (mas.last >= max) return entry;
      mas.index = ++mas.last;
      mas.status = 'start';
      break;
    case 'none':
      if (mas.last >= max) return entry;
      mas.index = mas.last;
      mas.status = 'start';
      break;
    case 'underflow':
      if (mas.index >= max) {
        mas.status = 'overflow';
        return entry;
      }
      masMayActivate(mas);
      entry = masWalk(mas);
      if (entry !== undefined) return entry;
      break;
    case 'overflow':
      if (mas.last >= max) return entry;
      masMayActivate(mas);
      entry = masWalk(mas);
      if (entry !== undefined) return entry;
      break;
    case 'root':
      break;
    case 'error':
      return entry;
  }
  if (statusOf(mas) === 'start') {
    if (mas.index > max) return entry;
    entry = masWalk(mas);
    if (entry !== undefined) return entry;
  }
  if (statusOf(mas) === 'root') {
    mas.status = 'none';
    mas.index = 1;
    mas.last = MAX_INDEX;
    return entry;
  }
  if (statusOf(mas) === 'none') return entry;
  return mas.index === max ? entry : CONTINUE;
}

/** mas_find_rev_setup */
function masFindRevSetup(mas: Mas, min: number): unknown {
  let entry: unknown = undefined;
  switch (mas.status) {
    case 'active':
      return mas.index < min ? entry : CONTINUE;
    case 'start':
      break;
    case 'pause':
      if (mas.index <= min) {
        mas.status = 'underflow';
        return entry;
      }
      mas.last = --mas.index;
      mas.status = 'start';
      break;
    case 'none':
      if (mas.index <= min) {
        mas.status = 'none';
        return entry;
      }
      mas.last = mas.index;
      mas.status = 'start';
      break;
    case 'overflow':
      if (mas.index <= min) {
        mas.status = 'underflow';
        return entry;
      }
      mas.status = 'active';
      break;
    case 'underflow':
      if (mas.index <= min) return entry;
      mas.status = 'active';
      break;
    case 'root':
      break;
    case 'error':
      return entry;
  }
  if (statusOf(mas) === 'start') {
    if (mas.index < min) return entry;
    entry = masWalk(mas);
    if (entry !== undefined) return entry;
  }
  if (statusOf(mas) === 'root') {
    mas.status = 'none';
    return entry;
  }
  if (statusOf(mas) === 'none') {
    mas.last = mas.index = 0;
    mas.status = 'root';
    entry = mas.tree.rootEntry;
    return entry;
  }
  return mas.index < min ? entry : CONTINUE;
}

/** The forward walk once a setup has not answered already (CONTINUE): mas_next_slot's tail. */
function nextAfter(done: unknown, mas: Mas, max: number, empty: boolean): unknown {
  return done !== CONTINUE ? done : masNextSlot(mas, max, empty);
}

/** The backward walk once a setup has not answered already: mas_prev_slot's tail. */
function prevAfter(done: unknown, mas: Mas, min: number, empty: boolean): unknown {
  return done !== CONTINUE ? done : masPrevSlot(mas, min, empty);
}

/** mas_find: the first entry at or after the cursor, up to `max` (overflow is not reported). */
export function masFind(mas: Mas, max: number): unknown {
  const done = masFindSetup(mas, max);
  if (done !== CONTINUE) return done;
  const entry = masNextSlot(mas, max, false);
  // The kernel ignores overflow here; a cursor whose tree was emptied stays 'none'.
  if (mas.node !== null) mas.status = 'active';
  return entry;
}

/** mas_find_range: like masFind, but stops at empty ranges too. */
export function masFindRange(mas: Mas, max: number): unknown { return nextAfter(masFindSetup(mas, max), mas, max, true); }

/** mas_find_rev: the last entry at or before the cursor, down to `min`. */
export function masFindRev(mas: Mas, min: number): unknown { return prevAfter(masFindRevSetup(mas, min), mas, min, false); }

/** mas_find_range_rev */
export function masFindRangeRev(mas: Mas, min: number): unknown { return prevAfter(masFindRevSetup(mas, min), mas, min, true); }

/** mas_next: the next entry after the current range, starting at most at `max`. */
export function masNext(mas: Mas, max: number): unknown { return nextAfter(masNextSetup(mas, max), mas, max, false); }

/** mas_next_range: the next range, empty or not. */
export function masNextRange(mas: Mas, max: number): unknown { return nextAfter(masNextSetup(mas, max), mas, max, true); }

/** mas_prev: the previous entry before the current range, ending at least at `min`. */
export function masPrev(mas: Mas, min: number): unknown { return prevAfter(masPrevSetup(mas, min), mas, min, false); }

/** mas_prev_range: the previous range, empty or not. */
export function masPrevRange(mas: Mas, min: number): unknown { return prevAfter(masPrevSetup(mas, min), mas, min, true); }
