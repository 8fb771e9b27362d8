/**
 * What a counterexample page shows beside its lanes: the child's mm as the model held it after each
 * step — its maple tree drawn node for node (a copy made with the tree's own dup, so the shapes are
 * the child's, with each VMA labelled) and its maps with the XA_ZERO_ENTRY marker and any freed VMA
 * marked. The trace is replayed exactly under a step observer; the copy and the reads never touch
 * the model's objects or allocators, so the replay runs as the search did.
 */
import { runExecution, ReplayDivergence, type StepObserver } from '../explore/execution.js';
import { withTasks } from '../explore/minimise.js';
import { ReplayChooser } from '../explore/strategies/replay.js';
import type { Trace } from '../explore/trace.js';
import { VM_EXEC, VM_MAYSHARE, VM_READ, VM_WRITE } from '../mm/constants.js';
import { formatMaps } from '../mm/maps.js';
import { Mm } from '../mm/mm.js';
import { Vma, type VmaSlot } from '../mm/vma.js';
import { vmaIter, vmaNext } from '../mm/vma-iter.js';
import { dupTree } from '../tree/dup.js';
import { ZERO_ENTRY } from '../tree/entry.js';
import { treeSvg } from '../tree/svg.js';
import { MapleTree } from '../tree/tree.js';
import { FORK_EXIT_MODEL, forkExitModel, parseVariant } from './model.js';
import { buildScenario, type ParentProcess } from './scenario.js';

/** One line of the child's maps; `mark` says why it is highlighted. */
export interface MapsRow {
  readonly text: string;
  /** 'zero': the marker; 'freed': a freed VMA; 'foreign': a VMA of another mm (__mt_dup's copy not yet replaced). */
  readonly mark: 'zero' | 'freed' | 'foreign' | null;
}

/** The child as one step left it. */
export interface ChildView {
  /** The child mm's name (`mm#2`), or null before dup_mm allocated it. */
  readonly mm: string | null;
  /** A sentence on where the child is in its life: not yet allocated, being copied, freed. */
  readonly status: string;
  /** The child's maple tree as SVG (treeSvg): the marker and freed VMAs in class `hl`, other mms' VMAs in `foreign`. */
  readonly svg: string;
  readonly maps: readonly MapsRow[];
}

export interface StepViews {
  /** Distinct views, in the order they first appear. */
  readonly views: readonly ChildView[];
  /** `after[k]`: the view after step k (0: before the first step), for k = 0 … steps. */
  readonly after: readonly number[];
}

const ZERO_TEXT = 'zero (257)';
const FREED = 'FREED';
const FOREIGN = 'of ';

function perms(vma: Vma): string {
  const f = vma.vmFlags;
  return `${f & VM_READ ? 'r' : '-'}${f & VM_WRITE ? 'w' : '-'}${f & VM_EXEC ? 'x' : '-'}${f & VM_MAYSHARE ? 's' : 'p'}`;
}

/** A VMA as the picture names it: `vma#9 r-xp app`, `FREED vma#9 …`, or `of mm#1: vma#6 …` (not the child's). */
function vmaLabel(vma: Vma, mm: Mm): string {
  const what = vma.vmFile ? vma.vmFile.path.slice(vma.vmFile.path.lastIndexOf('/') + 1) : vma.anonName ?? 'anon';
  const whose = vma.vmMm !== mm ? `${FOREIGN}${vma.vmMm.name}: ` : '';
  return `${vma.freed ? `${FREED} ` : ''}${whose}${vma.name} ${perms(vma)} ${what}`;
}

interface Slot {
  readonly first: number;
  readonly last: number;
  readonly slot: VmaSlot;
}

/** Every occupied range of the child's tree, XA_ZERO_ENTRY included (the advanced API's view). */
function slotsOf(mm: Mm): Slot[] {
  const out: Slot[] = [];
  const vmi = vmaIter(mm, 0);
  for (let slot = vmaNext(vmi); slot !== undefined; slot = vmaNext(vmi)) out.push({ first: vmi.index, last: vmi.last, slot: slot as VmaSlot });
  return out;
}

/** The tree drawn node for node: a dup into a tree of its own, each VMA replaced by its label. */
function treePicture(mm: Mm, slots: readonly Slot[]): string {
  const copy = new MapleTree<string>({ allocRange: mm.mmMt.isAlloc });
  dupTree(mm.mmMt as unknown as MapleTree, copy as unknown as MapleTree, 'kernel');
  for (const s of slots) if (s.slot instanceof Vma) copy.storeRange(s.first, s.last, vmaLabel(s.slot, mm));
  const svg = treeSvg(copy, { format: 'hex' });
  copy.destroy();
  return svg.replace(/<text([^>]*)>([^<]*)<\/text>/g, (whole, attrs: string, text: string) => {
    if (text.includes(ZERO_TEXT) || text.includes(`"${FREED} `)) return `<text class="hl"${attrs}>${text}</text>`;
    return text.includes(`"${FOREIGN}`) ? `<text class="foreign"${attrs}>${text}</text>` : whole;
  });
}

/** formatMaps' lines (VMAs only) with the marker's range added where it sits, freed VMAs marked. */
function mapsRows(mm: Mm, slots: readonly Slot[]): MapsRow[] {
  const byStart = new Map(slots.map((s) => [s.first, s.slot]));
  // formatMaps pads the name to /proc's column; two spaces keep the rows narrow beside the tree.
  const lines = formatMaps(mm).split('\n').filter((l) => l !== '').map((l) => l.replace(/ {3,}/g, '  '));
  const rows: { start: number; row: MapsRow }[] = lines.map((text) => {
    const start = parseInt(text.slice(0, text.indexOf('-')), 16);
    const slot = byStart.get(start);
    if (slot instanceof Vma && slot.freed) return { start, row: { text: `${text}   <- ${slot.name} freed by ${slot.freedAt}`, mark: 'freed' } };
    if (slot instanceof Vma && slot.vmMm !== mm) {
      return { start, row: { text: `${text}   <- ${slot.vmMm.name}'s ${slot.name}: __mt_dup's copy, not replaced`, mark: 'foreign' } };
    }
    return { start, row: { text, mark: null } };
  });
  for (const s of slots) {
    if (s.slot !== ZERO_ENTRY) continue;
    const hex = (n: number): string => n.toString(16).padStart(8, '0');
    rows.push({ start: s.first, row: { text: `${hex(s.first)}-${hex(s.last + 1)} XA_ZERO_ENTRY: dup_mmap stopped here; nothing from here on was copied`, mark: 'zero' } });
  }
  return rows.sort((a, b) => a.start - b.start).map((r) => r.row);
}

function viewOf(mm: Mm | null): ChildView {
  if (mm === null) return { mm: null, status: 'dup_mm has not allocated the child yet', svg: '', maps: [] };
  const slots = slotsOf(mm);
  const status = mm.freed ? `${mm.name} was freed by ${mm.freedAt}` : mm.exited ? `${mm.name}: exit_mmap has run` : `${mm.name}, ${mm.mapCount} VMAs, ${mm.mmUsers} users`;
  return { mm: mm.name, status, svg: treePicture(mm, slots), maps: mapsRows(mm, slots) };
}

/** Whether a trace is of a fork-exit model (the default parent's, or another parent's `fork-exit@…`). */
export function isForkExit(model: string): boolean {
  return model === FORK_EXIT_MODEL || model.startsWith(`${FORK_EXIT_MODEL}@`);
}

/**
 * Replays a fork-exit counterexample exactly and records the child after every step; `parent` is
 * the process the study forked (the default parent when omitted). Throws RangeError when the trace
 * is of another parent's model, and ReplayDivergence when the model no longer runs the trace (the
 * pictures would be of another run).
 */
export function childSteps(trace: Trace, parent?: ParentProcess): StepViews {
  const model = forkExitModel(parent).name;
  if (trace.model !== model) throw new RangeError(`the trace is of model ${trace.model}; the parent given registers ${model}`);
  const { kernel, walkers, signalAtVma } = parseVariant(trace.variant);
  const world = buildScenario({ kernel, walkers, signalAtVma, ...(parent ? { parent } : {}) });
  const instance = withTasks({ tasks: world.tasks, finalCheck: () => world.finalCheck(), stateKey: () => world.stateKey() }, trace.tasks ?? null);
  let child: Mm | null = null;
  const views: ChildView[] = [];
  const keys = new Map<string, number>();
  const after: number[] = [];
  const record = (): void => {
    if (child === null) {
      for (const o of world.kernel.live) if (o instanceof Mm && o !== world.parent) child = o;
    }
    const view = viewOf(child);
    const key = `${view.status}\n${view.svg}\n${view.maps.map((r) => r.text).join('\n')}`;
    let i = keys.get(key);
    if (i === undefined) {
      i = views.length;
      views.push(view);
      keys.set(key, i);
    }
    after.push(i);
  };
  const observer: StepObserver = {
    beforeStep: () => {
      record();
      return true;
    },
  };
  const run = runExecution(instance, new ReplayChooser(trace.decisions), { fault: trace.fault, record: true, observer });
  record();
  if (run.events.length !== trace.events.length || run.events.some((e, i) => e.label !== trace.events[i]!.label)) {
    throw new ReplayDivergence(`replaying ${trace.variant} for its report ran ${run.events.length} events, the trace has ${trace.events.length}`);
  }
  return { views, after };
}
