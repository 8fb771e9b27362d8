/** The study as the queue tests run it: in this thread, its JSON captured, compared without wall times. */
import { runStudyCli, type StudyCliOptions } from '../../src/cli/study.js';

/** The JSON's cells without their wall times, the one thing two runs of the same study differ in. */
export function resultCells(json: string): string {
  const body = JSON.parse(json) as { results: Array<Record<string, unknown>> };
  return JSON.stringify(body.results.map(({ timeMs: _t, timeToFirstBugMs: _f, ...cell }) => cell), null, 2);
}

/** The walker pairs compared with their members alone, without wall times. */
export function resultPairs(json: string): string {
  const body = JSON.parse(json) as { combinations?: unknown[] };
  return JSON.stringify(body.combinations ?? [], (key, value: unknown) => (key === 'timeMs' || key === 'timeToFirstBugMs' ? undefined : value), 2);
}

/** Runs the study command in this thread and returns its exit code and printed JSON. */
export async function study(flags: StudyCliOptions, signal?: AbortSignal): Promise<{ code: number; json: string }> {
  const out: string[] = [];
  const code = await runStudyCli(flags, { log: (l) => out.push(l), warn: () => undefined, inThread: true, ...(signal ? { signal } : {}) });
  return { code, json: out.join('\n') };
}
