/**
 * The fork/exit model registered with the explorer: one variant per kernel configuration, walkers
 * and failure kind, written `kernel/walkers/failure` — e.g. `6.8.0-6.8.7/swapoff/signal@4` (a fatal
 * signal arrives when the fork's loop reaches its 5th VMA), `7.0/uprobe/alloc` (the failure comes
 * from the explorer's fault plan: fail the n-th allocation of the fork task) or
 * `6.12.8-6.12.50/swapoff+uprobe/alloc` (two walkers at once). The default parent's model is
 * `fork-exit`; another parent gets a model of its own, named after a digest of its description.
 */
import { createHash } from 'node:crypto';
import { registerModel, getModel, listModels, type Model, type ModelInstance } from '../explore/model.js';
import { DEFAULT_RESERVE_NODES, KERNEL_NAMES, kernelConfig, type KernelConfig } from '../mm/config.js';
import { show, stringArg } from '../mm/args.js';
import { compressedMarginOf } from './compress.js';
import { configurationArg, parentArg, walkersArg, walkerSetArg } from './args.js';
import { ALL_WALKERS, buildScenario, parentVmaCount, rebuildScenario, WALKER_NAMES, type ParentProcess, type ScenarioOptions, type ScenarioWorld, type WalkerName } from './scenario.js';

export const FORK_EXIT_MODEL = 'fork-exit';

export type FailureKind = 'alloc' | 'none' | `signal@${number}`;

/** `a+b`: the walkers of one variant, in ALL_WALKERS order; 'none' for none. */
export function walkersName(walkers: readonly WalkerName[]): string {
  walkersArg('walkersName', 'walkers', walkers);
  return walkers.length === 0 ? 'none' : [...walkers].sort((a, b) => ALL_WALKERS.indexOf(a) - ALL_WALKERS.indexOf(b)).join('+');
}

export function variantName(kernel: string, walkers: WalkerName | 'none' | readonly WalkerName[], failure: FailureKind): string {
  configurationArg('variantName', 'kernel', kernel);
  if (walkers !== 'none') walkerSetArg('variantName', 'walker', walkers);
  if (typeof failure !== 'string' || !/^(alloc|none|signal@(0|[1-9]\d*))$/.test(failure)) {
    throw new (typeof failure === 'string' ? RangeError : TypeError)(`variantName: failure must be 'alloc', 'none' or 'signal@K', got ${show(failure)}`);
  }
  const name = typeof walkers === 'string' ? walkers : walkersName(walkers);
  return `${kernel}/${name}/${failure}`;
}

export interface ParsedVariant {
  readonly kernel: string;
  readonly walkers: readonly WalkerName[];
  readonly signalAtVma: number | null;
}

export function parseVariant(variant: string): ParsedVariant {
  stringArg('parseVariant', 'variant', variant);
  const [kernel, walkers, failure, extra] = variant.split('/');
  if (kernel === undefined || walkers === undefined || failure === undefined || extra !== undefined) {
    throw new RangeError(`bad fork-exit variant ${JSON.stringify(variant)}: expected <configuration>/<walker>[+<walker>…]/alloc|none|signal@K`);
  }
  const names = walkers === 'none' ? [] : walkers.split('+');
  for (const w of names) if (!ALL_WALKERS.includes(w as WalkerName)) throw new RangeError(`bad fork-exit variant ${JSON.stringify(variant)}: unknown walker ${JSON.stringify(w)}`);
  const signal = /^signal@(\d+)$/.exec(failure);
  if (!signal && failure !== 'alloc' && failure !== 'none') throw new RangeError(`bad fork-exit variant ${JSON.stringify(variant)}: unknown failure ${JSON.stringify(failure)}`);
  return { kernel, walkers: names as WalkerName[], signalAtVma: signal ? Number(signal[1]) : null };
}

/**
 * The walkers (by task name) that got hold of a failed fork's child in some execution since the
 * last takeReaches for that variant — what tells "unreachable" from "verified".
 */
const reaches = new Map<string, Set<string>>();

export function takeReaches(model: string, variant: string): Set<string> {
  const key = `${model}\0${variant}`;
  const got = reaches.get(key) ?? new Set<string>();
  reaches.delete(key);
  return got;
}

/** The configuration a variant's kernel runs: its own, with the node reserve resized when asked. */
function configOf(kernel: string, reserveNodes: number | undefined): KernelConfig {
  const config = kernelConfig(kernel);
  return reserveNodes === undefined || !config.nodeReserve ? config : { ...config, nodeReserve: { ...config.nodeReserve, nodes: reserveNodes } };
}

function builder(model: string, parent: ParentProcess | undefined, reserveNodes: number | undefined, forkFootprint: boolean): (variant: string) => ModelInstance {
  // A search builds its variant once per execution: parse it once, and keep one configuration
  // object per variant (the parent is built once per configuration object). The first build of a
  // variant goes through buildScenario's checks; later ones reuse the options it checked.
  const parsed = new Map<string, { readonly options: ScenarioOptions; readonly key: string }>();
  return (variant) => {
    let known = parsed.get(variant);
    let world: ScenarioWorld;
    if (known === undefined) {
      const p = parseVariant(variant);
      const options: ScenarioOptions = {
        kernel: configOf(p.kernel, reserveNodes), walkers: p.walkers, signalAtVma: p.signalAtVma, ...(parent ? { parent } : {}), ...(forkFootprint ? {} : { forkFootprint }),
      };
      world = buildScenario(options);
      known = { options, key: `${model}\0${variant}` };
      parsed.set(variant, known);
    } else {
      world = rebuildScenario(known.options);
    }
    const key = known.key;
    return {
      tasks: world.tasks,
      finalCheck: () => {
        if (!world.fork.child && world.kernel.reached.size > 0) {
          let seen = reaches.get(key);
          if (!seen) reaches.set(key, (seen = new Set()));
          for (const who of world.kernel.reached) seen.add(who);
        }
        return world.finalCheck();
      },
      stateKey: () => world.stateKey(),
    };
  };
}

/** The most walkers a set with reclaim or task-lookup may have (it keeps the variant list small). */
export const MAX_MIXED_SET = 3;

/**
 * The walker sets the grammar allows: any set of the study's columns, or up to MAX_MIXED_SET
 * walkers of all of them, each named in ALL_WALKERS order (walkersName).
 */
function walkerSets(): Set<string> {
  const sets = new Set<string>();
  for (let mask = 0; mask < 1 << WALKER_NAMES.length; mask++) sets.add(walkersName(WALKER_NAMES.filter((_, i) => mask & (1 << i))));
  for (let mask = 0; mask < 1 << ALL_WALKERS.length; mask++) {
    const set = ALL_WALKERS.filter((_, i) => mask & (1 << i));
    if (set.length <= MAX_MIXED_SET) sets.add(walkersName(set));
  }
  return sets;
}

const WALKER_SETS = walkerSets();
const KERNELS = new Set(KERNEL_NAMES);

/**
 * Whether `variant` is a variant of the model of a parent of `vmas` VMAs: a configuration, a walker
 * set of the grammar, and alloc, none or signal@K for a VMA K of the loop (K in decimal, no leading
 * zero). Parsed, not looked up: the variants are configurations × walker sets × (VMAs + 2), 5.8
 * million names for 1,000 VMAs.
 */
function isVariant(variant: string, vmas: number): boolean {
  const [kernel, walkers, failure, extra] = variant.split('/');
  if (kernel === undefined || walkers === undefined || failure === undefined || extra !== undefined) return false;
  if (!KERNELS.has(kernel) || !WALKER_SETS.has(walkers)) return false;
  if (failure === 'alloc' || failure === 'none') return true;
  const signal = /^signal@(0|[1-9]\d*)$/.exec(failure);
  return signal !== null && Number(signal[1]) < vmas;
}

/**
 * The variants the model lists (Model.variants: the first is the default): every configuration ×
 * walker set × alloc, none and the signals at the first and the last VMA — so the grammar printed
 * from them shows K's whole range. isVariant takes every other signal@K too.
 */
function listedVariants(vmas: number): string[] {
  const failures: string[] = ['alloc', 'none', ...new Set(vmas === 0 ? [] : [`signal@0`, `signal@${vmas - 1}`])];
  const out: string[] = [];
  for (const kernel of KERNEL_NAMES) for (const walkers of WALKER_SETS) for (const f of failures) out.push(`${kernel}/${walkers}/${f}`);
  return out;
}

/** The grammar of this model's variants, for help texts and errors. */
export const VARIANT_GRAMMAR = '<configuration>/<walker>[+<walker>…]/alloc|none|signal@K';

/** The parent each registered fork/exit model forks (undefined: the default parent). */
const parents = new Map<string, ParentProcess | undefined>();

/** The suffix of a model whose node-reserve designs run with a reserve of that many nodes. */
const RESERVE_SUFFIX = /~reserve-(\d+)$/;

/** The suffix of a model of a compressed parent, before its margin (compress.ts). */
export const COMPRESSED_SUFFIX = '~compressed-';

/** The suffix of a model whose fork declares no footprint (ScenarioOptions.forkFootprint false). */
const UNREDUCED_SUFFIX = '~unreduced';

/**
 * Registers the fork/exit model for `parent` (the default parent when omitted) once; returns it.
 * With `reserveNodes` other than the designs' default (63), the designs with a node reserve run
 * with that many nodes, in a model of their own named `<model>~reserve-<n>` (its tokens say so).
 * With `forkFootprint` false the fork declares no footprint (ScenarioOptions.forkFootprint), in a
 * model named `<model>~unreduced`: the same cells, searched with more decisions.
 */
export function forkExitModel(parent?: ParentProcess, reserveNodes?: number, forkFootprint = true): Model {
  parentArg('forkExitModel', 'parent', parent);
  if (typeof forkFootprint !== 'boolean') throw new TypeError(`forkExitModel: forkFootprint must be a boolean, got ${show(forkFootprint)}`);
  const base = parent ? `${FORK_EXIT_MODEL}@${createHash('sha256').update(JSON.stringify(parent)).digest('hex').slice(0, 12)}` : FORK_EXIT_MODEL;
  if (reserveNodes !== undefined && (!Number.isSafeInteger(reserveNodes) || reserveNodes < 1)) {
    throw new RangeError(`forkExitModel: reserveNodes must be a positive integer, got ${String(reserveNodes)}`);
  }
  const resized = reserveNodes !== undefined && reserveNodes !== DEFAULT_RESERVE_NODES ? reserveNodes : undefined;
  // A compressed parent's model says so (compress.ts): its traces replay on the compressed parent.
  const margin = compressedMarginOf(parent);
  const name = (resized === undefined ? base : `${base}~reserve-${resized}`) + (margin === null ? '' : `${COMPRESSED_SUFFIX}${margin}`) + (forkFootprint ? '' : UNREDUCED_SUFFIX);
  if (listModels().some((m) => m.name === name)) return getModel(name);
  parents.set(base, parent);
  const vmas = parentVmaCount(parent);
  return registerModel({
    name,
    description: `fork (dup_mm/dup_mmap) failing while swapoff, uprobes, the OOM reaper, a userfaultfd monitor, ksmd or khugepaged run${resized === undefined ? '' : `; node reserve of ${resized}`}`,
    variants: listedVariants(vmas),
    hasVariant: (variant) => isVariant(variant, vmas),
    build: builder(name, parent, resized, forkFootprint),
  });
}

/**
 * Registers a resized-reserve or unreduced model by its name (`<model>~reserve-<n>`,
 * `<model>[~reserve-<n>]~unreduced`) when its base model is registered, so `mapletree replay`
 * takes its tokens; any other name is left alone.
 */
export function registerForkExitModelNamed(name: string): void {
  const unreduced = name.endsWith(UNREDUCED_SUFFIX);
  const rest = unreduced ? name.slice(0, -UNREDUCED_SUFFIX.length) : name;
  const m = RESERVE_SUFFIX.exec(rest);
  if (!m && !unreduced) return;
  const base = m ? rest.slice(0, m.index) : rest;
  if (parents.has(base)) forkExitModel(parents.get(base), m ? Number(m[1]) : undefined, !unreduced);
}

/**
 * The unreduced twin of a fork-exit model (`<model>~unreduced`, registered here), or null for a
 * model that is none or is one already: a token recorded before the fork declared its footprint
 * carries the decisions of that search, and replays there.
 */
export function unreducedTwin(model: string): string | null {
  stringArg('unreducedTwin', 'model', model);
  if (!model.startsWith(FORK_EXIT_MODEL) || model.endsWith(UNREDUCED_SUFFIX)) return null;
  const twin = model + UNREDUCED_SUFFIX;
  registerForkExitModelNamed(twin);
  return listModels().some((m) => m.name === twin) ? twin : null;
}

forkExitModel();
