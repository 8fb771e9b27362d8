#!/usr/bin/env node
/**
 * The default study's results without its times: runs `mapletree study --json --no-html` (or reads
 * a saved --json output), drops every time field (timeMs, timeToFirstBugMs, …) and the worker
 * count, and prints the SHA-256 of what is left — every cell's outcome, reason, kind, message,
 * failure point, executions and minimised trace. Two builds give the same study when the hashes
 * agree; --out writes the stripped JSON, for a diff when they do not. Run after `npm run build`.
 *   node bench/study-fingerprint.mjs [--from saved.json] [--out stripped.json] [-- study options…]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const studyArgs = dash < 0 ? [] : argv.slice(dash + 1);
const option = (name) => {
  const i = own.indexOf(name);
  return i < 0 ? undefined : own[i + 1];
};
const from = option('--from');
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const text = from !== undefined ? readFileSync(from, 'utf8')
  : execFileSync(process.execPath, [cli, 'study', '--json', '--no-html', ...studyArgs], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });

/** Everything but the times, which differ from run to run. */
function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !/time/i.test(k) && !/Ms$/.test(k)).map(([k, v]) => [k, strip(v)]));
}
const result = strip(JSON.parse(text));
delete result.workers;
const stripped = JSON.stringify(result, null, 1);
const out = option('--out');
if (out !== undefined) writeFileSync(out, stripped);
console.log(`${createHash('sha256').update(stripped).digest('hex')}  ${result.executions} executions, ${result.results?.length ?? 0} cells`);
