import { describe, expect, it } from 'vitest';
import { runStudyCli } from '../../src/cli/study.js';

describe('mapletree study --json', () => {
  it('prints one JSON object with a result per configuration × walker', async () => {
    const out: string[] = [];
    const code = await runStudyCli({
      bound: '1', config: 'xa-zero-prefix,teardown', walker: 'oom-reaper,uffd', workers: '1', maxExecutions: '100000', json: true, html: false,
    }, (s) => out.push(s));
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as { results: Array<Record<string, unknown>> };
    expect(json.results.map((r) => `${String(r.configuration)}/${String(r.walker)}/${String(r.outcome)}`)).toEqual([
      'xa-zero-prefix/oom-reaper/bug', 'xa-zero-prefix/uffd/bug', 'teardown/oom-reaper/verified', 'teardown/uffd/verified',
    ]);
    for (const r of json.results) {
      expect(typeof r.executions).toBe('number');
      expect(typeof r.timeMs).toBe('number');
      if (r.outcome === 'bug') {
        expect(r.kind).toBe('null-deref');
        expect(String(r.token)).toMatch(/^mt1:/);
        expect((r.trace as { format: string }).format).toBe('mapletree-trace/1');
      } else {
        expect(r.trace).toBeUndefined();
      }
    }
  });

  it('rejects an unknown configuration, naming the flag', async () => {
    await expect(runStudyCli({ bound: '1', config: 'linux-2.4', maxExecutions: '10', json: true, html: false }, () => undefined))
      .rejects.toThrow(/--config: unknown "linux-2.4"/);
  });
});
