/** Runs a configuration's row of the study and compares it with EXPECTED_ROWS. */
import { expect } from 'vitest';
import { replay } from '../../src/explore/trace.js';
import { studyCell, type StudyCell } from '../../src/study/study.js';
import { EXPECTED_COLUMNS, EXPECTED_ROWS, type Expected } from './expected-rows.js';

function summary(cell: StudyCell): Expected | string {
  if (cell.outcome === 'verified') return cell.exhaustive ? 'V' : 'capped';
  if (cell.outcome === 'unreachable') return 'U';
  if (cell.outcome === 'bug') return `B 0x${/virtual address 0x0*([0-9a-f]+)/.exec(cell.message ?? '')?.[1] ?? `? ${cell.kind}`}`;
  return `${cell.outcome} ${cell.reason ?? ''}`;
}

export function checkRow(configuration: string): void {
  const expected = EXPECTED_ROWS[configuration]!;
  const got = EXPECTED_COLUMNS.map((walker) => {
    const cell = studyCell(configuration, walker, { bound: 1, strategy: 'dpor' });
    if (cell.outcome === 'unreachable') expect(cell.reason, `${configuration}/${walker}`).toBeTruthy();
    if (cell.trace) {
      // Every counterexample replays to the same violation.
      const run = replay(cell.trace);
      expect(run.violation?.message, `${configuration}/${walker} replay`).toBe(cell.message);
    }
    return summary(cell);
  });
  expect(got, configuration).toEqual(expected);
}
