/**
 * What a progress log (stderr not a terminal, --progress) says while cells run: a line per finished
 * cell alone would leave an hour-long pair silent, so every `intervalMs` a line names the cells in
 * flight and the failure point each is at.
 */
import { cellOfPoint } from '../study/run-cells.js';

/** Ten minutes: often enough to see a long cell move, rare enough not to drown the finished ones. */
export const HEARTBEAT_MS = 10 * 60_000;

export class Heartbeat {
  /** Each running cell's last point (run-cells' pointAt), by the cell it belongs to. */
  readonly #running = new Map<string, string>();
  #last: number | null = null;

  /** `now`: the clock, in milliseconds. */
  constructor(private readonly intervalMs: number = HEARTBEAT_MS, private readonly now: () => number = () => performance.now()) {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`Heartbeat: intervalMs must be a positive number, got ${intervalMs}`);
  }

  /** A point a cell reached (pointAt's text). */
  at(point: string): void {
    this.#last ??= this.now();
    this.#running.set(cellOfPoint(point), point);
  }

  /** A cell finished (`cell`: "configuration × walker"): no longer in flight. */
  finished(cell: string): void {
    this.#running.delete(cell);
  }

  /** The cells in flight and their points, once an interval has passed since the last line (or the first point); else null. */
  due(): string | null {
    if (this.#last === null || this.#running.size === 0) return null;
    const t = this.now();
    if (t - this.#last < this.intervalMs) return null;
    this.#last = t;
    return [...this.#running.values()].join('; ');
  }
}
