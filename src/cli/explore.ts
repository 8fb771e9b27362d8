/**
 * `mapletree explore`, `mapletree replay` and `mapletree models`. explore and replay exit 0 when
 * nothing is found, 1 when a bug is found or reproduced (the caller maps thrown errors to 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';
import { int, oneOf, positiveInt, seconds } from './args.js';
import { EXIT, UsageError, fsError } from './errors.js';
import { didYouMean } from './suggest.js';
import { CLASSICS } from '../explore/classics.js';
import { explore, type ExploreResult } from '../explore/explore.js';
import { exploreSplit, SPLIT_STRATEGIES, type SplitStrategy } from '../explore/split.js';
import { ReplayDivergence, type ExecutionResult, type FaultPlan } from '../explore/execution.js';
import { getModel, listModels, modelHasVariant, type Model } from '../explore/model.js';
import { portfolio } from '../explore/portfolio.js';
import { htmlReport } from '../explore/report.js';
import { fromToken, replay, traceToken, TRACE_FORMAT, type Replayable, type Trace } from '../explore/trace.js';
import { counterexampleLanes } from '../study/lanes.js';
import { compressParent } from '../study/compress.js';
import { COMPRESSED_SUFFIX, FORK_EXIT_MODEL, forkExitModel, registerForkExitModelNamed, unreducedTwin, VARIANT_GRAMMAR } from '../study/model.js';
import { parentFromFlags, type ParentFlags } from './parent.js';
import { writeTraceReport } from '../study/report-traces.js';
import { ALL_WALKERS } from '../study/scenario.js';
import { exploreOnQueue } from '../study/queue/explore-run.js';
import type { ModelSearch } from '../study/queue/prefix-job.js';
import { checkQueueUrl } from '../study/queue/redis.js';

export interface ExploreCliOptions {
  model?: string;
  variant?: string;
  strategy?: string;
  bound: string;
  executions?: string;
  time?: string;
  seed: string;
  depth: string;
  workers?: string;
  json?: boolean;
  html?: string;
  progress?: boolean;
  saveTrace?: string;
  width?: string;
  checkDeterminism?: boolean;
  /** redis://… : split each search by decision prefix over this job queue's workers. */
  queue?: string;
  /** With --queue: prefix jobs per search, about. */
  jobs?: string;
}

/** Columns for lanes: --width, the terminal's, or 100 when not on one. */
export function laneWidth(width: string | undefined): number {
  if (width !== undefined) return positiveInt(width, 'width');
  return process.stdout.isTTY ? process.stdout.columns : 100;
}

/** A registered model by name, or a usage error with the closest name. */
function modelNamed(name: string): Model {
  const names = listModels().map((m) => m.name);
  if (!names.includes(name)) throw new UsageError(`--model: no model named ${JSON.stringify(name)}${didYouMean(name, [...names, 'classics'])} (see mapletree models)`);
  return getModel(name);
}

function checkVariant(model: Model, variant: string): void {
  if (!modelHasVariant(model, variant)) {
    throw new UsageError(`--variant: model ${model.name} has no variant ${JSON.stringify(variant)}${didYouMean(variant, variantCandidates(model, variant))} (see mapletree models)`);
  }
}

/**
 * The names to suggest for a mistyped variant: the listed ones, and for a model with a grammar
 * (which lists a sample) each listed one with its last field replaced by the one typed, where the
 * grammar takes it — so `…/swapof/signal@4` finds `…/swapoff/signal@4`.
 */
function variantCandidates(model: Model, variant: string): readonly string[] {
  if (model.hasVariant === undefined) return model.variants;
  const last = variant.slice(variant.lastIndexOf('/') + 1);
  const out = new Set(model.variants);
  for (const v of model.variants) {
    const retyped = `${v.slice(0, v.lastIndexOf('/') + 1)}${last}`;
    if (modelHasVariant(model, retyped)) out.add(retyped);
  }
  return [...out];
}

const STRATEGIES = ['dfs', 'dpor', 'delay', 'deviation', 'random', 'pct', 'portfolio'] as const;

/** What --bound bounds under each strategy (random and pct take none). */
const BOUNDED: Partial<Record<(typeof STRATEGIES)[number], string>> = { dfs: 'preemption bound', dpor: 'preemption bound', delay: 'delay bound', deviation: 'deviation bound', portfolio: 'bound' };

/** The built-in classics' fault plans: leak-on-error needs its second allocation to fail. */
function faultFor(model: Model): FaultPlan | null {
  return model.name === 'leak-on-error' ? { nth: 2, mode: 'once' } : null;
}

/**
 * A progress bar on stderr, shown only after the first second and only on a terminal. A search runs
 * on this thread, where Ctrl-C cannot be caught until it ends, so the bar leaves the cursor and
 * autowrap alone: a killed run has nothing to restore.
 */
function progressBar(enabled: boolean, total: number): { tick: (done: number, executions: number) => void; stop: () => void } {
  if (!enabled || process.stderr.isTTY !== true) return { tick: () => undefined, stop: () => undefined };
  const t0 = performance.now();
  let bar: SingleBar | null = null;
  return {
    tick: (done, executions) => {
      if (bar === null) {
        if (performance.now() - t0 < 1000) return;
        bar = new SingleBar({ format: ' {bar} {value}/{total} searches · {executions} executions', hideCursor: false, linewrap: true }, undefined);
        bar.start(total, done, { executions });
      }
      bar.update(done, { executions });
    },
    stop: () => bar?.stop(),
  };
}

function resultJson(r: ExploreResult): Record<string, unknown> {
  return {
    model: r.model, variant: r.variant, strategy: r.strategy, outcome: r.outcome, kind: r.trace?.violation?.kind,
    executions: r.executions, pruned: r.pruned, steps: r.steps, timeMs: Math.round(r.timeMs * 100) / 100,
    executionsPerSecond: Math.round(r.executionsPerSecond), stepsPerSecond: Math.round(r.stepsPerSecond),
    distinctTerminalStates: r.distinctTerminalStates, exhaustiveBound: r.exhaustiveBound, firstBug: r.firstBug,
    ...(r.pctBound !== undefined ? { pctBound: r.pctBound } : {}),
    ...(r.trace ? { token: traceToken(r.trace), trace: r.trace } : {}),
  };
}

/**
 * The searches split by decision prefix (--jobs, --queue), as prefix jobs name them, or a usage
 * error for what cannot be split. `flag` is the one that asked.
 */
function splitSearches(searches: ReadonlyArray<[Model, string]>, strategy: string, bound: number, executions: number | undefined, opts: ExploreCliOptions, flag: '--queue' | '--jobs'): ModelSearch[] {
  if (!(SPLIT_STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`${flag} splits a ${SPLIT_STRATEGIES.join(', ')} search, not ${strategy}`);
  if (opts.time !== undefined) throw new UsageError(`--time does not apply to ${flag} (a split search runs to its end or its --executions cap)`);
  if (opts.checkDeterminism === true) throw new UsageError(`--check-determinism does not apply to ${flag} (the prefix jobs run the searches)`);
  return searches.map(([model, variant]) => {
    if (flag === '--queue' && model.name.startsWith(`${FORK_EXIT_MODEL}@`)) throw new UsageError(`--queue explores built-in models only; ${model.name} is a fork of a parent given by flags`);
    return { kind: 'model', model: model.name, variant, strategy: strategy as SplitStrategy, bound, executions: executions ?? 1_000_000, fault: faultFor(model) };
  });
}

export async function runExplore(opts: ExploreCliOptions, log: (s: string) => void = console.log, signal?: AbortSignal): Promise<number> {
  const strategy = oneOf(opts.strategy ?? 'dfs', STRATEGIES, 'strategy');
  const models = opts.model === undefined || opts.model === 'classics' ? CLASSICS : [modelNamed(opts.model)];
  const bound = int(opts.bound, 'bound');
  const timeMs = opts.time !== undefined ? seconds(opts.time, 'time') : undefined;
  const seed = int(opts.seed, 'seed');
  const depth = int(opts.depth, 'depth');
  const executionCap = opts.executions !== undefined ? positiveInt(opts.executions, 'executions') : undefined;
  const workers = opts.workers !== undefined ? positiveInt(opts.workers, 'workers') : undefined;
  const width = laneWidth(opts.width);
  const checkDeterminism = opts.checkDeterminism === true;
  if (checkDeterminism && strategy === 'portfolio') throw new UsageError('--check-determinism applies to dfs, dpor, delay, deviation, random and pct; the portfolio runs in workers that do not take it');
  const searches: Array<[Model, string]> = [];
  for (const model of models) {
    if (opts.variant !== undefined) checkVariant(model, opts.variant);
    for (const variant of opts.variant !== undefined ? [opts.variant] : model.variants) searches.push([model, variant]);
  }
  const bar = progressBar(opts.progress !== false && !opts.json, searches.length);
  const results: ExploreResult[] = [];
  let executions = 0;
  const jobs = opts.jobs !== undefined ? positiveInt(opts.jobs, 'jobs') : undefined;
  if (opts.queue !== undefined) {
    try {
      checkQueueUrl(opts.queue);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const queued = await exploreOnQueue(splitSearches(searches, strategy, bound, executionCap, opts, '--queue'), {
      url: opts.queue, ...(jobs !== undefined ? { jobs } : {}), ...(signal ? { signal } : {}),
      warn: (line) => console.error(line), onProgress: (done, n) => bar.tick(done, n),
    });
    if (queued === null) {
      bar.stop();
      console.error('mapletree: interrupted: the run is removed from the queue');
      return EXIT.interrupted;
    }
    results.push(...queued);
  } else if (jobs !== undefined) {
    // The same prefix jobs the queue's workers would run, here one after another: the same result.
    for (const { kind: _kind, ...search } of splitSearches(searches, strategy, bound, executionCap, opts, '--jobs')) {
      results.push(exploreSplit(search, jobs));
      executions += results[results.length - 1]!.executions;
      bar.tick(results.length, executions);
    }
  }
  for (const [model, variant] of opts.queue !== undefined || jobs !== undefined ? [] : searches) {
    if (strategy === 'portfolio') {
      const p = await portfolio({
        model: model.name, variant, timeMs: timeMs ?? 10_000, bound, fault: faultFor(model),
        modules: [new URL('../study/model.js', import.meta.url).href],
        ...(workers !== undefined ? { workers } : {}),
      });
      const decided = p.results.find((r) => r.entry === p.decidedBy)?.result ?? p.results[0]!.result;
      results.push({ ...decided, executions: p.executions, timeMs: p.timeMs, executionsPerSecond: p.executions / (p.timeMs / 1000) });
    } else {
      results.push(explore({
        model, variant, strategy, bound, seed, depth, fault: faultFor(model),
        ...(executionCap !== undefined ? { executions: executionCap } : {}),
        ...(timeMs !== undefined ? { timeMs } : {}),
        ...(checkDeterminism ? { checkDeterminism } : {}),
        onProgress: (n) => bar.tick(results.length, executions + n),
      }));
    }
    executions += results[results.length - 1]!.executions;
    bar.tick(results.length, executions);
  }
  bar.stop();
  if (opts.json) {
    log(JSON.stringify({ results: results.map(resultJson) }, null, 2));
  } else {
    const bounded = BOUNDED[strategy];
    const checked = checkDeterminism ? ', every execution run twice to check the model is deterministic' : '';
    log(pc.bold('mapletree explore') + pc.dim(`  (strategy ${strategy}${bounded !== undefined ? `, ${bounded} ${bound}` : ''}${checked})`));
    log('');
    log(`${'model'.padEnd(16)}${'variant'.padEnd(18)}${'outcome'.padEnd(26)}${'executions'.padStart(11)}${'pruned'.padStart(8)}${'time'.padStart(10)}${'exec/s'.padStart(10)}${'steps/s'.padStart(10)}`);
    for (const r of results) {
      const outcome = r.trace ? pc.red(`bug: ${r.trace.violation!.kind}`.padEnd(26)) : pc.green(
        (r.outcome === 'verified' ? `verified (bound ${r.exhaustiveBound})` : 'no bug found').padEnd(26));
      log(`${r.model.padEnd(16)}${r.variant.padEnd(18)}${outcome}${String(r.executions).padStart(11)}${String(r.pruned).padStart(8)}` +
        `${(r.timeMs.toFixed(1) + 'ms').padStart(10)}${String(Math.round(r.executionsPerSecond)).padStart(10)}${String(Math.round(r.stepsPerSecond)).padStart(10)}`);
    }
    for (const r of results) {
      if (r.pctBound !== undefined) {
        log(pc.dim(`${r.model} (${r.variant}): PCT guarantees each run finds a depth-${opts.depth} bug with probability at least ${r.pctBound.toExponential(2)}`));
      }
    }
    for (const r of results) {
      if (!r.trace) continue;
      const t = r.trace;
      log('');
      log(pc.bold(`${r.model} (${r.variant}): ${t.violation!.message}`));
      log(pc.dim(`found by ${r.strategy} after ${r.firstBug!.executions} executions (${r.firstBug!.timeMs.toFixed(1)} ms); ${t.stats.steps} steps, ` +
        `${t.stats.preemptions} preemptions (minimised from ${t.stats.minimisedFrom} steps)`));
      for (const line of counterexampleLanes(t, { width })) log(line);
      log(pc.dim(`replay: mapletree replay ${traceToken(t)}`));
    }
  }
  const firstBug = results.find((r) => r.trace)?.trace;
  if (opts.html !== undefined && models.length > 1) {
    // Several models: a folder with a page per bug and an index, as the study writes.
    const traces = results.flatMap((r) => (r.trace ? [r.trace] : []));
    const index = writeReportFolder(opts.html, traces);
    if (!opts.json) log(pc.dim(`HTML report (${traces.length} page${traces.length === 1 ? '' : 's'} and an index) written to ${index}`));
  } else if (opts.html !== undefined && firstBug) {
    writeOut(opts.html, htmlReport(firstBug, traceToken(firstBug)));
    if (!opts.json) log(pc.dim(`HTML report written to ${opts.html}`));
  }
  if (opts.saveTrace !== undefined) {
    if (firstBug) writeOut(opts.saveTrace, `${JSON.stringify(firstBug, null, 2)}\n`);
    console.error(firstBug ? `mapletree: trace written to ${opts.saveTrace}` : `mapletree: no counterexample, so no trace written to ${opts.saveTrace}`);
  }
  return firstBug ? EXIT.bug : EXIT.ok;
}

function writeReportFolder(dir: string, traces: readonly Trace[]): string {
  try {
    return writeTraceReport(dir, traces, 'mapletree explore: counterexamples');
  } catch (error) {
    throw fsError(error, 'write the HTML report to', dir);
  }
}

function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw fsError(error, 'write', path);
  }
}

/** A token, or the path of a trace file (a saved trace, or one copied out of study --json). */
function readReplayable(source: string): Replayable {
  if (source.startsWith('mt1:')) return fromToken(source);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw fsError(error, 'read trace file', source);
  }
  let body: Partial<Trace>;
  try {
    body = JSON.parse(text) as Partial<Trace>;
  } catch {
    throw new UsageError(`${source} is neither a replay token (mt1:…) nor a JSON trace file`);
  }
  if (body.format !== TRACE_FORMAT || typeof body.model !== 'string' || typeof body.variant !== 'string' || !Array.isArray(body.decisions)) {
    throw new UsageError(`${source} is not a ${TRACE_FORMAT} trace (it needs format, model, variant and decisions)`);
  }
  return body as Trace;
}

/**
 * A study on a parent of the user's (--maps, --pid) explores a fork-exit model of its own, named
 * after a digest of that parent; its traces replay once the same parent flags register it again.
 * A parent of the project's own (the designs' taller parent) is registered when its module loads.
 */
const COMPRESSED_MODEL = new RegExp(`${COMPRESSED_SUFFIX}(\\d+)`);

function registerParentModel(body: Replayable, flags: ParentFlags): void {
  registerForkExitModelNamed(body.model);
  const choice = parentFromFlags(flags);
  if (choice) {
    // A trace found on the parent compressed by class is of the compressed parent's model.
    const margin = COMPRESSED_MODEL.exec(body.model);
    const compressed = margin ? compressParent(choice.parent, Math.max(0, Number(margin[1]) - 2)) : null;
    const model = forkExitModel(compressed?.parent ?? choice.parent).name;
    if (model !== body.model) {
      throw new UsageError(`the trace is of model ${body.model}, but ${choice.flags} gives the parent of model ${model}: not the process the trace was found on`);
    }
  } else if (body.model.startsWith(`${FORK_EXIT_MODEL}@`) && !listModels().some((m) => m.name === body.model)) {
    throw new UsageError(`the trace is of ${body.model}, a fork of a parent given by --maps or --pid: replay it with the same --maps/--pid, --uprobe and --uffd`);
  }
}

/**
 * replay(), or for a fork-exit token whose decisions do not fit the model — one recorded before
 * the fork declared its footprint, which made some decisions of that search none — the same
 * token on the model's unreduced twin, the search it came from (unreducedTwin).
 */
function replayOrUnreduced(body: Replayable): { replayed: Replayable; run: ExecutionResult } {
  try {
    return { replayed: body, run: replay(body) };
  } catch (e) {
    const twin = e instanceof ReplayDivergence ? unreducedTwin(body.model) : null;
    if (twin === null) throw e;
    const replayed = { ...body, model: twin };
    return { replayed, run: replay(replayed) };
  }
}

export function runReplay(source: string, opts: { json?: boolean; width?: string; saveTrace?: string } & ParentFlags, log: (s: string) => void = console.log): number {
  const body = readReplayable(source);
  const width = laneWidth(opts.width);
  registerParentModel(body, opts);
  const model = listModels().find((m) => m.name === body.model);
  if (!model) throw new UsageError(`the trace's model ${JSON.stringify(body.model)} is not one this build knows${didYouMean(body.model, listModels().map((m) => m.name))}`);
  checkVariant(model, body.variant);
  const { replayed, run } = replayOrUnreduced(body);
  const trace: Trace = {
    format: TRACE_FORMAT, model: replayed.model, variant: body.variant, strategy: 'replay', seed: null, fault: body.fault,
    ...(body.tasks ? { tasks: body.tasks } : {}), decisions: run.decisions, events: run.events, violation: run.violation,
    stats: { steps: run.steps, preemptions: run.preemptions },
  };
  if (opts.saveTrace !== undefined) writeOut(opts.saveTrace, `${JSON.stringify(trace, null, 2)}\n`);
  if (opts.json) {
    log(JSON.stringify({ model: replayed.model, variant: body.variant, violation: run.violation, steps: run.steps, events: run.events }, null, 2));
  } else {
    for (const line of counterexampleLanes(trace, { width })) log(line);
    log(run.violation ? pc.red(`violation: ${run.violation.kind}: ${run.violation.message}`) : pc.green('no violation'));
  }
  return run.violation ? EXIT.bug : EXIT.ok;
}

/** Variants listed in full up to this many; beyond, their grammar. */
const VARIANTS_LISTED = 8;

/**
 * A model's variants as a grammar when there are many: each `/`-separated field's values, with
 * numbered ones (`signal@0` … `signal@7`) written once as `signal@K` and K's range.
 */
export function variantGrammar(variants: readonly string[]): string[] {
  const fields: Array<Set<string>> = [];
  for (const v of variants) v.split('/').forEach((part, i) => (fields[i] ??= new Set()).add(part));
  return fields.map((values) => {
    const plain: string[] = [];
    const numbered = new Map<string, number[]>();
    for (const value of values) {
      const m = /^(.*@)(\d+)$/.exec(value);
      if (m) {
        const ks = numbered.get(m[1]!) ?? [];
        ks.push(Number(m[2]));
        numbered.set(m[1]!, ks);
      } else plain.push(value);
    }
    for (const [prefix, ks] of numbered) plain.push(`${prefix}K (K ${Math.min(...ks)}–${Math.max(...ks)})`);
    return plain.join(' | ');
  });
}

/**
 * How many variants a fork-exit model has: it lists the signals at its first and last VMA only
 * (the grammar takes every one between), so configurations × walker sets × (alloc, none, VMAs).
 */
function forkExitVariantCount(listed: readonly string[]): number {
  const fields = [new Set<string>(), new Set<string>()];
  let vmas = 0;
  for (const v of listed) {
    const [kernel = '', walkers = '', failure = ''] = v.split('/');
    fields[0]!.add(kernel);
    fields[1]!.add(walkers);
    const k = /^signal@(\d+)$/.exec(failure);
    if (k) vmas = Math.max(vmas, Number(k[1]) + 1);
  }
  return fields[0]!.size * fields[1]!.size * (2 + vmas);
}

export function modelList(): string {
  const out: string[] = [];
  for (const m of listModels()) {
    out.push(`${pc.bold(m.name)}  ${m.description}`);
    if (m.variants.length <= VARIANTS_LISTED) {
      out.push(`  variants: ${m.variants.join(', ')}`);
      continue;
    }
    // The study's other parents (a maps file, the designs' taller parent) have fork-exit models of their own.
    if (m.name === FORK_EXIT_MODEL || m.name.startsWith(`${FORK_EXIT_MODEL}@`)) {
      // Walkers combine (a+b), so the grammar says so rather than listing every set.
      const [configurations, , failures] = variantGrammar(m.variants);
      out.push(`  variants (${forkExitVariantCount(m.variants)}): ${VARIANT_GRAMMAR}, e.g. ${m.variants[0]}`);
      // The designs (mapletree study --designs) on a line of their own, to keep lines short.
      const names = (configurations ?? '').split(' | ');
      out.push(`    <configuration>: ${names.filter((n) => !n.startsWith('design:')).join(' | ')}`);
      const designs = names.filter((n) => n.startsWith('design:'));
      if (designs.length > 0) out.push(`    <configuration> (designs): ${designs.join(' | ')}`);
      out.push(`    <walker>: ${[...ALL_WALKERS, 'none'].join(' | ')} (several joined with +, e.g. swapoff+uprobe)`);
      out.push(`    <failure>: ${failures}`);
      continue;
    }
    const fields = variantGrammar(m.variants);
    const names: string[] = [];
    const field = (i: number): string => names[i] ?? `field${i + 1}`;
    out.push(`  variants (${m.variants.length}): ${fields.map((_, i) => `<${field(i)}>`).join('/')}, e.g. ${m.variants[0]}`);
    fields.forEach((values, i) => out.push(`    <${field(i)}>: ${values}`));
  }
  return out.join('\n');
}
