/**
 * Gap search on a cursor: mas_empty_area and mas_empty_area_rev (Linux 6.18 lib/maple_tree.c),
 * with the allocation walks they drive (mas_awalk / mas_anode_descend, mas_rev_awalk,
 * mas_skip_node, mas_rewind_node) and the empty / root-pointer case (mas_sparse_area).
 *
 * Both return 0 and set index/last to the area found, or a negative errno like the kernel:
 * ERRNO.EINVAL for bad bounds (the state is left alone), ERRNO.EBUSY when nothing fits (the state is
 * in 'error' with EBUSY when the tree walk ran out; unchanged when the empty-tree case refuses).
 * Interior nodes of trees without MT_FLAGS_ALLOC_RANGE carry no gaps, so, as in the kernel, only
 * allocation trees of height > 1 give useful answers.
 */
import { MAPLE_ARANGE_64, MT_PIVOTS } from './constants.js';
import { ERRNO, type MapleErrorCode } from './errors.js';
import { chunkOf, GAPS, KIDS, META, metaEnd, metaType, regionOf } from './node.js';
import { masAscend, masReset, masStart, statusOf, type Mas } from './mas.js';

/** mas_set_err */
function masSetErr(mas: Mas, code: MapleErrorCode): void {
  mas.status = 'error';
  mas.error = code;
  mas.node = null;
}

/** mas_skip_node: move to the next slot of the nearest ancestor that has one; EBUSY past the root. */
function masSkipNode(mas: Mas): boolean {
  if (statusOf(mas) === 'error') return false;
  do {
    const node = mas.node!;
    if (node.isRoot) {
      if (mas.offset >= node.end) {
        masSetErr(mas, 'EBUSY');
        return false;
      }
    } else {
      // A gap search starts from the root of a live tree, so it never meets a dead node.
      masAscend(mas);
    }
  } while (mas.offset >= mas.node!.end);
  mas.offset++;
  return true;
}

/** mas_rewind_node: move to the previous slot of the nearest ancestor that has one. */
function masRewindNode(mas: Mas): boolean {
  let slot: number;
  do {
    const node = mas.node!;
    if (node.isRoot) {
      slot = mas.offset;
      if (slot === 0) return false;
    } else {
      // A gap search starts from the root of a live tree, so it never meets a dead node.
      masAscend(mas);
      slot = mas.offset;
    }
  } while (slot === 0);
  mas.offset = slot - 1;
  return true;
}

/** How one node's scan of a gap walk ended. */
const FOUND = 0;
const EXHAUSTED = 1;
const FAILED = 2;

/**
 * mas_anode_descend, repeated while it descends: from mas.offset, the first slot whose gap can hold
 * `size` inside [mas.index, mas.last]; into it, or stop on it in a leaf (FOUND). EBUSY (FAILED)
 * once past mas.last; EXHAUSTED when the node has no such slot (mas.offset is then past its end).
 * The descent reads the arenas by node id, as lookup does: only the node where it stops gets a
 * handle, so a search costs the nodes' cache lines and not their handles'.
 */
function masAnodeDescend(mas: Mas, size: number): number {
  const store = mas.tree.nodes;
  const shift = store.pivotShift;
  let id = mas.node!.id;
  let offset = mas.offset;
  for (;;) {
    const c = chunkOf(id);
    const s = regionOf(id, c);
    const r = s << shift;
    const pv = store.piv[c]!;
    const meta = pv[r + META]!;
    const type = metaType(meta);
    const arange = type === MAPLE_ARANGE_64;
    const sl = store.slot[c]!;
    const nPivots = MT_PIVOTS[type]!;
    const end = metaEnd(meta);
    const entered = offset;
    let min = offset > 0 ? pv[r + offset - 1]! + 1 : mas.min;
    let descend = -1;
    for (; offset <= end; offset++) {
      const pivot = offset >= nPivots ? mas.max : pv[r + offset]!;
      if (mas.index <= pivot) {
        let gap = 0;
        let candidate = true;
        if (arange) gap = pv[r + GAPS + offset]!;
        else if (sl[s + offset] === undefined) gap = Math.min(pivot, mas.last) - Math.max(mas.index, min) + 1;
        else candidate = false;
        if (candidate && gap >= size) {
          if (type < 2) {
            mas.node = store.node(id);
            mas.offset = offset;
            mas.end = end;
            fwdStart[0] = min;
            return FOUND;
          }
          // Only arange_64 descends here (an internal range_64's slots are never NULL), so the
          // child id is in the pivot region, next to the gap just read.
          descend = store.kid[c]![(r << 1) + KIDS + offset]!;
          mas.min = min;
          mas.max = pivot;
          mas.depth++;
          break;
        }
      }
      min = pivot + 1;
      if (mas.last <= pivot) {
        mas.offset = entered;
        masSetErr(mas, 'EBUSY');
        return FAILED;
      }
    }
    if (descend < 0) {
      mas.node = store.node(id);
      mas.offset = offset;
      return EXHAUSTED;
    }
    id = descend;
    offset = 0;
  }
}

/** The start of the leaf slot masAnodeDescend stopped on (FOUND): mas_safe_min of it. */
const fwdStart = new Float64Array(1);

/** mas_awalk: descend / skip until a leaf slot fits or the search fails. */
function masAwalk(mas: Mas, size: number): void {
  // A scan that finds nothing in a node is followed by mas_skip_node (the kernel scans it once
  // more first, to the same end).
  while (statusOf(mas) !== 'error' && masAnodeDescend(mas, size) === EXHAUSTED) masSkipNode(mas);
}

/** mas_sparse_area: the answer for an empty or root-pointer tree. */
function masSparseArea(mas: Mas, min: number, max: number, size: number, fwd: boolean): number {
  if (statusOf(mas) !== 'none' && min === 0) {
    min++;
    if (min > max || max - min + 1 < size) return ERRNO.EBUSY;
  }
  if (fwd) {
    mas.index = min;
    mas.last = min + size - 1;
  } else {
    mas.last = max;
    mas.index = max - size + 1;
  }
  return 0;
}

function badBounds(min: number, max: number, size: number): boolean {
  return min > max || size === 0 || max - min < size - 1;
}

/**
 * A cursor that is not mid-search starts again from the root, as does one whose tree changed
 * since it last walked (its node or its none/root status may no longer be true).
 */
function prepare(mas: Mas): void {
  const s = statusOf(mas);
  if (mas.seq !== mas.tree.writeSeq) masReset(mas);
  else if (s === 'active') {
    if (mas.node === null || mas.node.dead) masReset(mas);
  } else if (s !== 'none' && s !== 'root') {
    masReset(mas);
  }
}

/** mas_empty_area: the lowest [index, index + size - 1] inside [min, max] holding only NULL. */
export function masEmptyArea(mas: Mas, min: number, max: number, size: number): number {
  if (badBounds(min, max, size)) return ERRNO.EINVAL;
  prepare(mas);
  if (statusOf(mas) === 'start') masStart(mas);
  else if (mas.offset >= 2) mas.offset -= 2;
  else if (!masSkipNode(mas)) return ERRNO.EBUSY;

  if (statusOf(mas) === 'none' || statusOf(mas) === 'root') return masSparseArea(mas, min, max, size, true);

  mas.index = min;
  mas.last = max;
  masAwalk(mas, size);
  if (statusOf(mas) === 'error') return ERRNO[mas.error!];

  // The slot's start and the leaf's data end came from the walk's arena reads: the leaf's handle
  // is not read, which for a cold leaf is a cache miss of its own.
  const start = fwdStart[0]!;
  if (mas.index < start) mas.index = start;
  mas.last = mas.index + size - 1;
  return 0;
}

/**
 * mas_rev_awalk, repeated while it descends: scan the node downwards from mas.offset for the highest
 * slot whose gap can hold `size`; in a leaf report the gap's bounds in `gap` (FOUND), else descend
 * (into a child, scanning from its data end). EXHAUSTED when the node has none (mas is left on it,
 * at the offset it was entered with, for mas_rewind_node); FAILED with EBUSY past the root or the
 * window. By node id through the arenas, like the forward walk.
 */
function masRevAwalk(mas: Mas, size: number, gap: Float64Array): number {
  const store = mas.tree.nodes;
  const shift = store.pivotShift;
  let id = mas.node!.id;
  let offset = mas.offset;
  for (;;) {
    const c = chunkOf(id);
    const s = regionOf(id, c);
    const r = s << shift;
    const pv = store.piv[c]!;
    const meta = pv[r + META]!;
    const type = metaType(meta);
    const arange = type === MAPLE_ARANGE_64;
    const sl = store.slot[c]!;
    const entered = offset;
    let min = offset > 0 ? pv[r + offset - 1]! + 1 : mas.min;
    while (mas.last < min) {
      --offset;
      min = offset > 0 ? pv[r + offset - 1]! + 1 : mas.min;
    }
    let max = offset >= MT_PIVOTS[type]! ? mas.max : pv[r + offset]!;
    let size2 = 0;
    let ascend = false;
    while (mas.index <= max) {
      size2 = 0;
      if (arange) size2 = pv[r + GAPS + offset]!;
      else if (sl[s + offset] === undefined) size2 = max - min + 1;
      if (size2 !== 0) {
        if (size <= size2 && size <= mas.last - min + 1) break;
        if (!arange) {
          // The next slot down holds an entry (NULLs never sit side by side): skip it.
          if (offset < 2) {
            ascend = true;
            break;
          }
          offset -= 2;
          max = pv[r + offset]!;
          min = offset > 0 ? pv[r + offset - 1]! + 1 : mas.min;
          continue;
        }
      }
      if (offset === 0) {
        ascend = true;
        break;
      }
      offset--;
      max = min - 1;
      min = offset > 0 ? pv[r + offset - 1]! + 1 : mas.min;
    }
    if (ascend && store.link[id]! >= 16) {
      mas.node = store.node(id);
      mas.offset = entered;
      return EXHAUSTED;
    }
    if (ascend || mas.index > max || size - 1 > max - mas.index) {
      mas.offset = entered;
      masSetErr(mas, 'EBUSY');
      return FAILED;
    }
    if (type < 2) {
      mas.node = store.node(id);
      mas.offset = offset;
      mas.end = metaEnd(meta);
      gap[0] = min;
      gap[1] = min + size2 - 1;
      return FOUND;
    }
    // As in masAnodeDescend: only arange_64 gets here, its child id next to its gaps.
    id = store.kid[c]![(r << 1) + KIDS + offset]!;
    mas.min = min;
    mas.max = max;
    mas.depth++;
    const cc = chunkOf(id);
    offset = metaEnd(store.piv[cc]![(regionOf(id, cc) << shift) + META]!);
  }
}

/** Bounds of the gap mas_rev_awalk found: [min, max]. */
const revGap = new Float64Array(2);

/** mas_empty_area_rev: the highest [last - size + 1, last] inside [min, max] holding only NULL. */
export function masEmptyAreaRev(mas: Mas, min: number, max: number, size: number): number {
  if (badBounds(min, max, size)) return ERRNO.EINVAL;
  prepare(mas);
  if (statusOf(mas) === 'start') {
    masStart(mas);
  } else if (mas.offset < 2 && statusOf(mas) === 'active' && !masRewindNode(mas)) {
    return ERRNO.EBUSY;
  }

  if (statusOf(mas) === 'none' || statusOf(mas) === 'root') return masSparseArea(mas, min, max, size, false);
  if (mas.offset >= 2) mas.offset -= 2;
  else mas.offset = mas.node!.end;

  mas.index = min;
  mas.last = max;
  // A node with no fit is followed by mas_rewind_node (the kernel scans it once more first, to the
  // same end).
  for (;;) {
    const found = masRevAwalk(mas, size, revGap);
    if (found !== EXHAUSTED) break;
    if (!masRewindNode(mas)) return ERRNO.EBUSY;
  }
  if (statusOf(mas) === 'error') return ERRNO[mas.error!];
  const gapMax = revGap[1]!;
  if (gapMax < mas.last) mas.last = gapMax;
  mas.index = mas.last - size + 1;
  return 0;
}
