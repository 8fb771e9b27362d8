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
import { ERRNO, type MapleErrorCode } from './errors.js';
import { masSafeMin, masSafePivot, type MapleNode } from './node.js';
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

/**
 * mas_anode_descend: scan the node from mas.offset for a slot whose gap can hold `size` inside
 * [mas.index, mas.last]; descend into it or stop on it in a leaf (true). EBUSY once past mas.last.
 */
function masAnodeDescend(mas: Mas, size: number): boolean {
  const node = mas.node!;
  const gaps = node.gaps;
  const leaf = node.type < 2;
  let offset = mas.offset;
  let min = masSafeMin(node, offset, mas.min);
  const end = node.end;
  for (; offset <= end; offset++) {
    const pivot = masSafePivot(node, offset, mas.max);
    if (mas.index <= pivot) {
      let gap = 0;
      let candidate = true;
      if (gaps !== null) gap = gaps[offset]!;
      else if (node.slot(offset) === undefined) gap = Math.min(pivot, mas.last) - Math.max(mas.index, min) + 1;
      else candidate = false;
      if (candidate && gap >= size) {
        if (leaf) {
          mas.offset = offset;
          return true;
        }
        mas.node = node.child(offset);
        mas.min = min;
        mas.max = pivot;
        mas.depth++;
        mas.offset = 0;
        return false;
      }
    }
    min = pivot + 1;
    if (mas.last <= pivot) {
      masSetErr(mas, 'EBUSY');
      return true;
    }
  }
  mas.offset = offset;
  return false;
}

/** mas_awalk: descend / skip until a leaf slot fits or the search fails. */
function masAwalk(mas: Mas, size: number): void {
  let last: MapleNode | null = null;
  while (statusOf(mas) !== 'error' && !masAnodeDescend(mas, size)) {
    if (last === mas.node) masSkipNode(mas);
    else last = mas.node;
  }
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

  const node = mas.node!;
  const start = masSafeMin(node, mas.offset, mas.min);
  if (mas.index < start) mas.index = start;
  mas.last = mas.index + size - 1;
  mas.end = node.end;
  return 0;
}

/**
 * mas_rev_awalk: scan the node downwards from mas.offset for the highest slot whose gap can hold
 * `size`; in a leaf report the gap's bounds (true), else descend. `gap` receives [min, max].
 */
function masRevAwalk(mas: Mas, size: number, gap: Float64Array): boolean {
  if (statusOf(mas) === 'error') return true;
  const node = mas.node!;
  const pv = node.pv;
  const base = node.at;
  const gaps = node.gaps;
  let offset = mas.offset;
  let min = masSafeMin(node, offset, mas.min);
  while (mas.last < min) min = masSafeMin(node, --offset, mas.min);
  let max = masSafePivot(node, offset, mas.max);
  let size2 = 0;
  let ascend = false;
  while (mas.index <= max) {
    size2 = 0;
    if (gaps !== null) size2 = gaps[offset]!;
    else if (node.slot(offset) === undefined) size2 = max - min + 1;
    if (size2 !== 0) {
      if (size <= size2 && size <= mas.last - min + 1) break;
      if (gaps === null) {
        // The next slot down holds an entry (NULLs never sit side by side): skip it.
        if (offset < 2) {
          ascend = true;
          break;
        }
        offset -= 2;
        max = pv[base + offset]!;
        min = masSafeMin(node, offset, mas.min);
        continue;
      }
    }
    if (offset === 0) {
      ascend = true;
      break;
    }
    offset--;
    max = min - 1;
    min = masSafeMin(node, offset, mas.min);
  }
  if (ascend) {
    if (!node.isRoot) return false;
    masSetErr(mas, 'EBUSY');
    return false;
  }
  if (mas.index > max || size - 1 > max - mas.index) {
    masSetErr(mas, 'EBUSY');
    return false;
  }
  if (node.type < 2) {
    mas.offset = offset;
    gap[0] = min;
    gap[1] = min + size2 - 1;
    return true;
  }
  const child = node.child(offset);
  mas.node = child;
  mas.min = min;
  mas.max = max;
  mas.depth++;
  mas.offset = child.end;
  return false;
}

/** Bounds of the gap mas_rev_awalk found: [min, max]. */
const revGap = new Float64Array(2);

/** mas_empty_area_rev: the highest [last - size + 1, last] inside [min, max] holding only NULL. */
export function masEmptyAreaRev(mas: Mas, min: number, max: number, size: number): number {
  let last: MapleNode | null = mas.node;
  if (badBounds(min, max, size)) return ERRNO.EINVAL;
  prepare(mas);
  if (statusOf(mas) === 'start') {
    last = null;
    masStart(mas);
  } else if (mas.offset < 2 && statusOf(mas) === 'active' && !masRewindNode(mas)) {
    return ERRNO.EBUSY;
  }

  if (statusOf(mas) === 'none' || statusOf(mas) === 'root') return masSparseArea(mas, min, max, size, false);
  if (mas.offset >= 2) mas.offset -= 2;
  else mas.offset = mas.node!.end;

  mas.index = min;
  mas.last = max;
  while (!masRevAwalk(mas, size, revGap)) {
    if (statusOf(mas) === 'error') break;
    if (last === mas.node) {
      if (!masRewindNode(mas)) return ERRNO.EBUSY;
    } else {
      last = mas.node;
    }
  }
  if (statusOf(mas) === 'error') return ERRNO[mas.error!];
  const gapMax = revGap[1]!;
  if (gapMax < mas.last) mas.last = gapMax;
  mas.index = mas.last - size + 1;
  mas.end = mas.node!.end;
  return 0;
}
