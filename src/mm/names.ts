/**
 * Object names (`vma#3`) and the lock and object ids derived from them (`mm#2.mmap_lock`), made
 * once per name. Every execution of a study copies the same parent and creates its child objects
 * in the same order, so the same names come back execution after execution. The scheduler and
 * DPOR key their lock and object tables by these ids: a string made afresh for every operation
 * would be hashed afresh at every lookup, where a string made once keeps its hash.
 */

/** Names made so far, by kind and id. */
const NAMES = new Map<string, string[]>();
/** Ids made so far, by field and name. */
const IDS = new Map<string, Map<string, string>>();

/** `kind#id`, the name of the id-th object of `kind` a kernel makes. */
export function objectName(kind: string, id: number): string {
  let names = NAMES.get(kind);
  if (names === undefined) NAMES.set(kind, (names = []));
  let name = names[id];
  if (name === undefined) {
    name = `${kind}#${id}`;
    names[id] = name;
  }
  return name;
}

/** `name.field`: the id of one of an object's locks or fields in traces (`mm#2.mm_mt`). */
export function fieldId(name: string, field: string): string {
  let ids = IDS.get(field);
  if (ids === undefined) IDS.set(field, (ids = new Map()));
  let id = ids.get(name);
  if (id === undefined) {
    id = `${name}.${field}`;
    ids.set(name, id);
  }
  return id;
}

/** Hex texts made so far, by value (bounded: a parent of very many pages would not stop growing). */
const HEX = new Map<number, string>();
const HEX_LIMIT = 1 << 16;

/**
 * `0x…` for an address in a trace label, made once per value: labels of the same steps come back
 * every execution, and a number's hex conversion costs far more than the lookup.
 */
export function hexAddress(value: number): string {
  let text = HEX.get(value);
  if (text === undefined) {
    text = `0x${value.toString(16)}`;
    if (HEX.size < HEX_LIMIT) HEX.set(value, text);
  }
  return text;
}
