/**
 * The model's KASAN: every kernel object the model frees becomes a tombstone that remembers where it
 * was freed, and any later use raises a ModelViolation naming the object and the freeing site.
 * Live objects are registered with their Kernel so the end-of-run leak check can list survivors.
 */
import { kobjectOf, MODEL_CLASS, registryArg, stringArg, whoArg } from './args.js';
import { ModelViolation } from '../explore/protocol.js';
import { objectName } from './names.js';

export interface ObjectRegistry {
  readonly live: Set<KObject>;
  nextId(kind: string): number;
  /**
   * While true, objects made take no id and are not registered: their maker names and registers
   * them itself (kernel-copy.ts gives each copy its original's name, in the original's order).
   */
  readonly adopting?: boolean;
}

export abstract class KObject {
  // Every kind of object runs this constructor, so its field definitions see many shapes. Declared
  // fields are defined on each object made (ES2022 semantics), which V8 does slowly at such a
  // megamorphic site — a seventh of a whole study's time; plain assignments are not.
  declare readonly registry: ObjectRegistry;
  declare readonly kind: string;
  declare readonly name: string;
  declare freedAt: string | null;

  constructor(registry: ObjectRegistry, kind: string) {
    registryArg('KObject', registry);
    stringArg('KObject', 'kind', kind);
    this.registry = registry;
    this.kind = kind;
    this.freedAt = null;
    if (registry.adopting === true) {
      this.name = '';
      return;
    }
    this.name = objectName(kind, registry.nextId(kind));
    registry.live.add(this);
  }

  /** The brand the argument checks test (args.ts), on the prototype for the same reason. */
  get [MODEL_CLASS](): 'KObject' {
    return 'KObject';
  }

  get freed(): boolean {
    return this.freedAt !== null;
  }
}

/** Checks that `obj` may be used by `who` (a KASAN slab-use-after-free report otherwise). */
export function use<T extends KObject>(obj: T, who: string): T {
  kobjectOf('use', 'obj', obj, null, 'a KObject');
  whoArg('use', who);
  if (obj.freedAt !== null) {
    throw new ModelViolation('use-after-free', `BUG: KASAN: slab-use-after-free in ${who}: ${obj.name} was freed by ${obj.freedAt}`);
  }
  return obj;
}

/** Frees `obj` (kfree / kmem_cache_free); freeing twice is a double-free report. */
export function kfree(obj: KObject, where: string): void {
  kobjectOf('kfree', 'obj', obj, null, 'a KObject');
  stringArg('kfree', 'where', where);
  if (obj.freedAt !== null) {
    throw new ModelViolation('double-free', `BUG: KASAN: double-free in ${where}: ${obj.name} was already freed by ${obj.freedAt}`);
  }
  obj.freedAt = where;
  obj.registry.live.delete(obj);
}

/** A reference count that reports an underflow like refcount_t's saturation warning. */
export function decRef(count: number, what: string): number {
  if (count <= 0) throw new ModelViolation('refcount-underflow', `refcount_t: underflow; use-after-free of ${what}`);
  return count - 1;
}
