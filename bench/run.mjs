#!/usr/bin/env node
/**
 * npm run bench [-- --quick] [--sizes 1e3,1e4] [--libs maple,sorted-btree] [--workloads load,dup]
 *                [--keyspaces 31,52] [--runs 10] [--section name] [--no-write] [--native [name=]path,...]
 * Runs every (library, workload, size, key space) in its own child process (bench/worker.mjs),
 * one at a time so they do not compete for the CPU, then prints tables, writes bench/results.json
 * and the results section of BENCHMARKS.md.
 * --native (or MAPLE_NATIVE_BENCH) names binaries that time Linux's own maple tree on the same
 * workloads (built outside the project, see BENCHMARKS.md); each runs right after our tree's cell,
 * so the two are compared within the same minute of a shared machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { LIBS } from './adapters/index.mjs';
import { markdownTable, NATIVE_WORKLOADS, sizeLabel, tables, targets, textTable, WORKLOAD_INFO } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function parseArgs(argv) {
  const o = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-write') o.noWrite = true;
    else if (['--sizes', '--libs', '--workloads', '--keyspaces', '--runs', '--section', '--native'].includes(a)) o[a.slice(2)] = argv[++i];
    else throw new Error(`unknown flag ${a}`);
  }
  const list = (s, dflt) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : dflt);
  const sizes = list(o.sizes, o.quick ? ['1e3', '1e4', '1e5'] : ['1e3', '1e4', '1e5', '1e6']).map(Number);
  return {
    quick: o.quick,
    noWrite: o.noWrite === true,
    sizes: o.quick ? sizes.filter((s) => s <= 1e5) : sizes,
    libs: list(o.libs, Object.keys(LIBS)),
    workloads: list(o.workloads, Object.keys(WORKLOAD_INFO)),
    keyspaces: list(o.keyspaces, ['31', '52']),
    runs: Number(o.runs ?? (o.quick ? 5 : 10)),
    warmup: o.quick ? 1 : 2,
    // A named section keeps its own block in BENCHMARKS.md and its own results file, so a
    // targeted 1e6 run does not replace the broad one.
    section: o.section ?? 'results',
    native: parseNative(o.native ?? process.env.MAPLE_NATIVE_BENCH ?? ''),
  };
}

/** `name=path` or a bare path (named "native"), comma-separated. */
function parseNative(spec) {
  return spec.split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    const eq = x.indexOf('=');
    const n = eq > 0 ? { name: x.slice(0, eq), path: x.slice(eq + 1) } : { name: 'native', path: x };
    if (!existsSync(n.path)) throw new Error(`--native: no binary at ${n.path}`);
    return n;
  });
}

/**
 * At 1e6 only the tree-shaped peers run the mutating workloads: a splice on a 1e6-long array
 * costs about a millisecond, so 1e4 of them per run would take the whole time budget.
 */
const MUTATING = new Set(['seq-store', 'rand-store', 'erase', 'alloc', 'dup-writes']);
function skipReason(lib, workload, size) {
  const spec = LIBS[lib];
  if (!spec.workloads.includes(workload)) return 'n/a';
  if (spec.maxSize && size > spec.maxSize) return 'O(n) per operation';
  if (size >= 1e6 && lib === 'sorted-array' && MUTATING.has(workload) && workload !== 'seq-store') return 'splice on 1e6';
  if (size >= 1e6 && (lib === 'flatten' || lib === 'node-interval-tree') && workload === 'seq-store') return 'time budget';
  return null;
}

function runWorker(args, native) {
  return new Promise((resolve) => {
    const child = native
      ? spawn(native.path, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['--expose-gc', join(here, 'worker.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      if (code === 0) resolve({ ...JSON.parse(out.trim().split('\n').pop()), ...(native ? { lib: native.name } : {}) });
      else resolve({ error: (err.trim().split('\n').find((l) => /Error/.test(l)) ?? err.trim()).slice(0, 200) || `exit ${code}` });
    });
  });
}

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  return { node: process.version, cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, platform: `${os.platform()} ${os.arch()}`, memGB: Math.round(os.totalmem() / 2 ** 30), load };
}

function writeMarkdown(opts, results, started, seconds, command, m) {
  const file = join(root, 'BENCHMARKS.md');
  const start = `<!-- bench:${opts.section}:start -->`;
  const end = `<!-- bench:${opts.section}:end -->`;
  const parts = [start, '', `Produced by \`${command}\` on ${started}, in ${Math.round(seconds)} s.`, '',
    `Machine: Node ${m.node}, ${m.cpu}, ${m.cores} cores, ${m.memGB} GB, ${m.platform}; load average ${m.loadAtStart} at the start, ${m.load} at the end (1, 5, 15 min).`,
    `Method: median of ${opts.runs} runs after ${opts.warmup} warm-up runs (tinybench), each cell in its own process.`, '',
    '### Targets', '', markdownTable(targets(results)), ''];
  for (const t of tables(results, opts.sizes)) parts.push(`### ${t.title}`, '', `_${t.caption}_`, '', markdownTable(t), '');
  if (opts.native.length > 0) parts.push(`Native: ${opts.native.map((x) => `\`${x.name}\``).join(', ')} = Linux 6.18's lib/maple_tree.c built in userspace (see "Native 6.18 side by side"), each cell run right after ours.`, '');
  const skipped = results.filter((r) => r.skipped && r.skipped !== 'n/a');
  if (skipped.length > 0) {
    parts.push('Not run: ' + [...new Set(skipped.map((r) => `${r.lib} ${r.workload} at ${sizeLabel(r.size)} (${r.skipped})`))].join('; ') + '.', '');
  }
  parts.push(end);
  const block = parts.join('\n');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  if (text.includes(start) && text.includes(end)) text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  else text = `${text.trimEnd()}\n\n## ${opts.section}\n\n${block}\n`;
  writeFileSync(file, text);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run npm run build first');
  const jobs = [];
  const results = [];
  for (const keyspace of opts.keyspaces) {
    for (const size of opts.sizes) {
      for (const workload of opts.workloads) {
        for (const lib of opts.libs) {
          if (!LIBS[lib]) throw new Error(`unknown library ${lib}; known: ${Object.keys(LIBS).join(', ')}`);
          const skipped = skipReason(lib, workload, size);
          if (skipped) results.push({ lib, workload, size, keyspace, skipped });
          else jobs.push({ lib, workload, size, keyspace });
          // Linux's own tree, right after ours on the same cell.
          if (lib === 'maple' && NATIVE_WORKLOADS[workload]) {
            for (const native of opts.native) jobs.push({ lib: native.name, workload, size, keyspace, native });
          }
        }
      }
    }
  }
  const started = new Date().toISOString();
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const t0 = performance.now();
  const bar = new cliProgress.SingleBar({
    format: '{bar} {value}/{total} | {eta_formatted} left | {job}', stream: process.stderr, hideCursor: true,
    noTTYOutput: true, notTTYSchedule: 10000, // a line every 10 s when stderr is a file or pipe
  }, cliProgress.Presets.shades_classic);
  bar.start(jobs.length, 0, { job: '' });
  for (const j of jobs) {
    bar.update({ job: `${j.lib} ${j.workload} ${sizeLabel(j.size)} keys<2^${j.keyspace}` });
    const { native, ...job } = j;
    const workload = native ? NATIVE_WORKLOADS[j.workload] : j.workload;
    const r = await runWorker([j.lib, workload, String(j.size), j.keyspace, String(opts.runs), String(opts.warmup)], native);
    results.push({ ...job, ...r, workload: j.workload, ...(native ? { native: true } : {}) });
    bar.increment();
  }
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;

  // Libraries doing the same reads must agree; a mismatch means an adapter bug, not a speed-up.
  for (const w of ['load', 'iterate', 'gap-rev', 'alloc', 'erase']) {
    for (const r of results.filter((x) => x.workload === w && x.check !== undefined)) {
      const ours = results.find((x) => x.lib === 'maple' && x.workload === w && x.size === r.size && x.keyspace === r.keyspace);
      if (ours && Number(ours.check) !== Number(r.check)) console.error(`checksum mismatch: ${r.lib} ${w} ${r.size} ${r.keyspace}: ${r.check} vs ${ours.check}`);
    }
  }

  const m = { ...machine(), loadAtStart };
  const nativeNote = opts.native.length > 0 && !process.argv.includes('--native') ? `MAPLE_NATIVE_BENCH=${opts.native.map((x) => `${x.name}=…`).join(',')} ` : '';
  const command = `${nativeNote}npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  for (const t of tables(results, opts.sizes)) console.log(`\n${t.title}\n(${t.caption})\n${textTable(t)}`);
  console.log(`\nTargets\n${textTable(targets(results))}`);
  for (const r of results.filter((x) => x.error)) console.error(`error: ${r.lib} ${r.workload} ${r.size} ${r.keyspace}: ${r.error}`);
  if (opts.noWrite) return;
  const json = opts.section === 'results' ? 'results.json' : `results-${opts.section}.json`;
  const options = { ...opts, native: opts.native.map((x) => x.name) };
  writeFileSync(join(here, json), `${JSON.stringify({ command, started, seconds, machine: m, options, results }, null, 1)}\n`);
  writeMarkdown(opts, results, started, seconds, command, m);
  console.log(`\nwrote bench/${json} and BENCHMARKS.md (${Math.round(seconds)} s)`);
}

await main();
