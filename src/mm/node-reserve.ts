/**
 * The global maple node reserve of Jann Horn's proposal (RFC review, Aug 2025): fewer than 64 nodes
 * set aside so that the store clearing a failed fork's uncopied entries need not allocate, taken
 * under one global mutex and refilled after use. One reserve per kernel; every failing fork shares it.
 */
import { kernelArg } from './args.js';
import type { Kernel } from './kernel.js';

export interface NodeReserve {
  /** The nodes it holds when full. */
  readonly size: number;
  /** The nodes it holds now: a failed refill leaves it short for the next user. */
  available: number;
}

const reserves = new WeakMap<Kernel, NodeReserve>();

/** The kernel's reserve, full at boot (the size its configuration asks for). */
export function nodeReserve(kernel: Kernel): NodeReserve {
  kernelArg('nodeReserve', kernel);
  const size = kernel.config.nodeReserve?.nodes;
  if (size === undefined) throw new RangeError(`nodeReserve: this kernel's configuration has no node reserve (recovery ${kernel.config.recovery})`);
  let reserve = reserves.get(kernel);
  if (!reserve) reserves.set(kernel, (reserve = { size, available: size }));
  return reserve;
}
