/**
 * pct: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi & Nagarakatte, ASPLOS
 * 2010) with bug depth d. Tasks get distinct random priorities (each when it first appears, so
 * tasks spawned later take part); the highest-priority enabled task runs. At d - 1 change points,
 * drawn uniformly over the k scheduling decisions of an execution, the task about to run drops to
 * priority d - i, below every initial priority. k is learnt from the executions run so far (the
 * first runs with no change points); data choices are uniform. A depth-d bug is found per run with
 * probability at least 1 / (n · k^(d-1)).
 */
import type { DecisionPoint, ExecutionResult } from '../execution.js';
import { checkCount, checkSeed } from '../arguments.js';
import { Prng } from '../prng.js';
import type { Strategy } from './strategy.js';

export class PctStrategy implements Strategy {
  readonly name = 'pct' as const;
  readonly observer = null;
  readonly exhaustiveBound = null;
  readonly exhausted = false;
  readonly #prng: Prng;
  /** Priorities by task index; NaN until the task is first seen in this execution. */
  readonly #priority: number[] = [];
  #changes: number[] = [];
  #point = 0;
  #changed = 0;
  /** The most scheduling decisions, and tasks, seen in one execution. */
  #k = 0;
  #tasks = 0;

  constructor(readonly seed: number, private readonly depth: number) {
    checkSeed('PctStrategy', 'seed', seed);
    checkCount('PctStrategy', 'depth', depth, { min: 1 });
    this.#prng = new Prng(seed);
  }

  /** The per-run probability bound for a depth-d bug, from the sizes seen so far. */
  get probabilityBound(): number {
    return probability(Math.max(1, this.#tasks), this.#k, this.depth);
  }

  start(): boolean {
    this.#priority.length = 0;
    this.#point = 0;
    this.#changed = 0;
    this.#changes = [];
    if (this.#k > 0) {
      for (let i = 0; i < this.depth - 1; i++) this.#changes.push(1 + this.#prng.below(this.#k));
      this.#changes.sort((a, b) => a - b);
    }
    return true;
  }

  #priorityOf(t: number): number {
    let p = this.#priority[t];
    if (p === undefined) {
      p = this.depth + this.#prng.nextU32() / 4294967296;
      this.#priority[t] = p;
      if (t + 1 > this.#tasks) this.#tasks = t + 1;
    }
    return p;
  }

  #highest(options: readonly number[]): number {
    let best = options[0]!;
    let top = this.#priorityOf(best);
    for (let i = 1; i < options.length; i++) {
      const p = this.#priorityOf(options[i]!);
      if (p > top) {
        top = p;
        best = options[i]!;
      }
    }
    return best;
  }

  choose(point: DecisionPoint): number {
    if (point.kind === 'choice') return point.options[this.#prng.below(point.options.length)]!;
    this.#point++;
    let best = this.#highest(point.options);
    while (this.#changed < this.#changes.length && this.#changes[this.#changed] === this.#point) {
      this.#changed++;
      this.#priority[best] = this.depth - this.#changed;
      best = this.#highest(point.options);
    }
    return best;
  }

  finish(run: ExecutionResult): void {
    let k = 0;
    for (const p of run.points) if (p.kind === 'task') k++;
    if (k > this.#k) this.#k = k;
  }
}

/** PCT's guarantee per run for a bug of depth d: at least 1 / (n · k^(d−1)). */
export function pctProbability(tasks: number, steps: number, depth: number): number {
  checkCount('pctProbability', 'tasks', tasks, { min: 1 });
  checkCount('pctProbability', 'steps', steps);
  checkCount('pctProbability', 'depth', depth, { min: 1 });
  return probability(tasks, steps, depth);
}

function probability(tasks: number, steps: number, depth: number): number {
  return 1 / (tasks * Math.pow(Math.max(1, steps), depth - 1));
}
