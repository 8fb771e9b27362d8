/**
 * Checkpoint and resume of an exhaustive search (Loom's LOOM_CHECKPOINT_FILE): the strategy's
 * position is written to a JSON file every so many executions and when the call ends, and a later
 * call with the same file, model, variant, strategy, bound and fault plan carries on from there.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { FaultPlan } from './execution.js';

export const CHECKPOINT_FORMAT = 'mapletree-checkpoint/1';

/** What a checkpoint must agree on to be resumed. */
export interface CheckpointKey {
  readonly model: string;
  readonly variant: string;
  readonly strategy: string;
  readonly bound: number | null;
  readonly fault: FaultPlan | null;
}

interface CheckpointFile extends CheckpointKey {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** Executions run so far, over every call that used this file. */
  readonly executions: number;
  readonly state: unknown;
}

const keyText = (k: CheckpointKey): string => JSON.stringify([k.model, k.variant, k.strategy, k.bound, k.fault]);

/** The saved state and execution count, or null when the file does not exist yet. */
export function loadCheckpoint(path: string, key: CheckpointKey): { state: unknown; executions: number } | null {
  if (!existsSync(path)) return null;
  let file: CheckpointFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile;
  } catch {
    throw new RangeError(`checkpoint ${path} is not JSON`);
  }
  if (file.format !== CHECKPOINT_FORMAT) throw new RangeError(`checkpoint ${path} is not a ${CHECKPOINT_FORMAT} file`);
  if (keyText(file) !== keyText(key)) {
    throw new RangeError(`checkpoint ${path} is for ${keyText(file)}, not ${keyText(key)}`);
  }
  return { state: file.state, executions: file.executions };
}

/** Writes the checkpoint atomically (a new file renamed over the old one). */
export function saveCheckpoint(path: string, key: CheckpointKey, state: unknown, executions: number): void {
  const file: CheckpointFile = { format: CHECKPOINT_FORMAT, ...key, bound: key.bound === Infinity ? null : key.bound, executions, state };
  writeFileSync(`${path}.tmp`, JSON.stringify(file));
  renameSync(`${path}.tmp`, path);
}
