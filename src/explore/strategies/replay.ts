/**
 * replay: one execution that follows a recorded decision list exactly (Shuttle's ReplayScheduler).
 * A decision that is not among the options, or a decision asked for past the list's end, is a
 * divergence: the model no longer matches the trace.
 */
import { checkIndices } from '../arguments.js';
import { ReplayDivergence, type Chooser, type DecisionPoint } from '../execution.js';

export class ReplayChooser implements Chooser {
  constructor(private readonly decisions: readonly number[]) {
    checkIndices('ReplayChooser', 'decisions', decisions);
  }

  choose(point: DecisionPoint, index: number): number {
    if (index >= this.decisions.length) {
      throw new ReplayDivergence(`the trace ends after ${this.decisions.length} decisions, but the model asks for another (${point.kind} ${point.name})`);
    }
    return this.decisions[index]!;
  }
}
