/**
 * The states the write path's slow paths work with (mas_split, mas_rebalance,
 * mas_wr_spanning_store, mas_spanning_rebalance, mas_topiary_replace): the kernel declares them
 * on the writer's stack (MA_STATE, MA_WR_STATE, struct maple_subtree_state), which costs nothing.
 * Here a write state keeps one set and every store reuses it, so a split or rebalance allocates
 * the nodes it builds and nothing else.
 */
import { scratchBigNodeRef, type BigNode } from './big-node.js';
import { Mas } from './mas.js';
import type { MapleNode } from './node.js';
import type { Subtree } from './topiary.js';
import type { MapleTree } from './tree.js';
import { WrState } from './wr-state.js';

/** The new nodes a level of mas_spanning_rebalance is cut into (mas_mab_to_node's out-arguments). */
export interface SplitNodes {
  left: MapleNode | null;
  middle: MapleNode | null;
  right: MapleNode | null;
  midSplit: number;
}

export class WrScratch {
  /** struct maple_subtree_state: l, m, r, orig_l, orig_r and the big node. */
  readonly sub: Subtree;
  /** Copies a slow path takes of a state (`tmp = *mas`), and a sibling walk's parent. */
  readonly tmp: Mas;
  readonly parent: Mas;
  readonly lTmp: Mas;
  readonly rTmp: Mas;
  /** mas_topiary_replace's two levels of up to three states each. */
  readonly level: Mas[];
  readonly nextLevel: Mas[];
  /** Old subtrees inside the written range, freed whole after the swap. */
  readonly subtrees: MapleNode[] = [];
  /** The write walks of a spanning store's two edges, and mast_ascend's node walk. */
  readonly lWr: WrState;
  readonly rWr: WrState;
  readonly walk: WrState;
  readonly mid = { split: 0 };
  readonly slot = { v: 0 };
  readonly out: SplitNodes = { left: null, middle: null, right: null, midSplit: 0 };

  constructor(tree: MapleTree) {
    const mk = (): Mas => new Mas(tree, 0, 0);
    const origL = mk();
    const origR = mk();
    this.sub = { l: mk(), m: mk(), r: mk(), origL, origR, bn: scratchBigNodeRef() };
    this.tmp = mk();
    this.parent = mk();
    this.lTmp = mk();
    this.rTmp = mk();
    this.level = [mk(), mk(), mk()];
    this.nextLevel = [mk(), mk(), mk()];
    this.lWr = new WrState(origL, undefined);
    this.rWr = new WrState(origR, undefined);
    this.walk = new WrState(origL, undefined);
  }

  /** The subtree state, on the big node `bn`; the caller sets up its states. */
  subtree(bn: BigNode): Subtree {
    this.sub.bn = bn;
    return this.sub;
  }
}

/** The write state's scratch, made on first use. */
export function wrScratch(wr: WrState): WrScratch {
  return (wr.scratch ??= new WrScratch(wr.mas.tree));
}
