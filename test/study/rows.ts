/** Runs the cells of a configuration's row of the study and compares each with EXPECTED_ROWS. */
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/explore/trace.js';
import { studyCell, type StudyCell } from '../../src/study/study.js';
import { EXPECTED_COLUMNS, EXPECTED_ROWS, type Expected } from './expected-rows.js';

function summary(cell: StudyCell): Expected | string {
  if (cell.outcome === 'verified') return cell.exhaustive ? 'V' : 'capped';
  if (cell.outcome === 'unreachable') return 'U';
  if (cell.outcome === 'bug') return `B 0x${/virtual address 0x0*([0-9a-f]+)/.exec(cell.message ?? '')?.[1] ?? `? ${cell.kind}`}`;
  return `${cell.outcome} ${cell.reason ?? ''}`;
}

/** One test per cell of the row: the cell's summary, its reason, and a replay of its counterexample. */
export function describeRow(configuration: string): void {
  const expected = EXPECTED_ROWS[configuration]!;
  describe(configuration, () => {
    EXPECTED_COLUMNS.forEach((walker, i) => {
      it(`${walker}: ${expected[i]}`, () => {
        const cell = studyCell(configuration, walker, { bound: 1, strategy: 'dpor' });
        if (cell.outcome === 'unreachable') expect(cell.reason, `${configuration}/${walker}`).toBeTruthy();
        // Every counterexample replays to the same violation.
        if (cell.trace) expect(replay(cell.trace).violation?.message, `${configuration}/${walker} replay`).toBe(cell.message);
        expect(summary(cell), `${configuration}/${walker}`).toBe(expected[i]);
      });
    });
  });
}
