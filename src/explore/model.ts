/**
 * What the explorer explores: a model is a factory that builds a fresh world and its tasks for one
 * execution. Models are registered by name so a trace can be replayed from its name alone.
 */
import { checkModel, checkString } from './arguments.js';
import type { Footprint, Task } from './protocol.js';

export interface TaskSpec {
  /** Shown in traces and lane tables, e.g. `fork` or `swapoff`. */
  readonly name: string;
  readonly run: () => Task<unknown>;
  /**
   * The model's checks stay meaningful without this task (a bystander), so minimisation may drop
   * it. Tasks the checks count on (e.g. "two increments happened") must not be optional.
   */
  readonly optional?: boolean;
  /**
   * What the task may touch. When every other task that has not finished declares one, a step of
   * this task that none of them can see is run without a scheduling decision before it.
   */
  readonly footprint?: Footprint;
}

export interface ModelInstance {
  readonly tasks: readonly TaskSpec[];
  /** Checked when every task has finished; returns a violation message or null. */
  readonly finalCheck?: () => string | null;
  /** A short description of the final state, to count distinct terminal states. */
  readonly stateKey?: () => string;
}

export interface Model {
  readonly name: string;
  readonly description: string;
  /** Named variants (e.g. pre-fix and fixed kernels); the first is the default. With hasVariant, a sample of them. */
  readonly variants: readonly string[];
  /**
   * Whether `variant` is one of the model's variants, for a model whose variants follow a grammar
   * too large to list (fork-exit on a parent of thousands of VMAs has millions); without it, the
   * variants are exactly `variants`.
   */
  readonly hasVariant?: (variant: string) => boolean;
  readonly build: (variant: string) => ModelInstance;
}

/** Whether `model` has `variant`: by its grammar when it has one, else in its list. */
export function modelHasVariant(model: Model, variant: string): boolean {
  return model.hasVariant !== undefined ? model.hasVariant(variant) : model.variants.includes(variant);
}

const registry = new Map<string, Model>();

export function registerModel(model: Model): Model {
  checkModel('registerModel', 'model', model);
  if (registry.has(model.name)) throw new RangeError(`registerModel: a model named ${JSON.stringify(model.name)} is already registered (model.name)`);
  registry.set(model.name, model);
  return model;
}

export function getModel(name: string): Model {
  checkString('getModel', 'name', name);
  const model = registry.get(name);
  if (!model) {
    // A model registers when the module defining it is imported; say which, for the package's own.
    throw new RangeError(`no model named ${JSON.stringify(name)}; known: ${[...registry.keys()].join(', ')}. ` +
      'A model is registered by importing the module that defines it: import \'mapletree/study\' for fork-exit ' +
      '(the classics come with \'mapletree/explore\')');
  }
  return model;
}

export function listModels(): Model[] {
  return [...registry.values()];
}
