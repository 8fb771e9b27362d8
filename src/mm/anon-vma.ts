/**
 * anon_vma and anon_vma_chain: the anonymous rmap. After fork, a child VMA is chained to every
 * anon_vma of its parent VMA plus a fresh one of its own, so rmap walks starting at a shared page
 * reach the child (and the child mm) as soon as anon_vma_fork has linked it.
 */
import { kobjectOf, registryArg, vmaArg } from './args.js';
import { KObject, decRef, kfree, type ObjectRegistry } from './kasan.js';
import type { Vma } from './vma.js';
import { fieldId } from './names.js';

export class AnonVma extends KObject {
  /** The root of the anon_vma tree; its rwsem is the lock for the whole family. */
  root: AnonVma;
  parent: AnonVma;
  /** refcount: 1 for the VMA family that owns it, plus one per child anon_vma on its root. */
  refcount = 1;
  /** The chains (anon_vma_chain) linking VMAs to this anon_vma: the rb_root of the kernel. */
  readonly chains = new Set<AnonVmaChain>();
  numChildren = 0;
  numActiveVmas = 0;

  constructor(registry: ObjectRegistry) {
    super(registry, 'anon_vma');
    this.root = this;
    this.parent = this;
  }

  /** The root's name its lock id was made for, and that id: the id is asked for at every lock and unlock. */
  #lockName = '';
  #lockId = '';

  get lockId(): string {
    const name = this.root.name;
    if (name !== this.#lockName) {
      this.#lockId = fieldId(name, 'rwsem');
      this.#lockName = name;
    }
    return this.#lockId;
  }
}

export class AnonVmaChain extends KObject {
  constructor(registry: ObjectRegistry, readonly vma: Vma, readonly anonVma: AnonVma) {
    // Checked in place, not in a closure for checkedRegistry: a fork makes a chain per anon VMA.
    registryArg('AnonVmaChain', registry);
    vmaArg('AnonVmaChain', vma);
    kobjectOf('AnonVmaChain', 'anonVma', anonVma, 'anon_vma', 'an AnonVma');
    super(registry, 'anon_vma_chain');
  }
}

/** get_anon_vma */
export function getAnonVma(av: AnonVma): void {
  av.refcount++;
}

/** put_anon_vma → __put_anon_vma: frees the anon_vma, then drops its reference on the root. */
export function putAnonVma(av: AnonVma, where: string): void {
  av.refcount = decRef(av.refcount, av.name);
  if (av.refcount > 0) return;
  const root = av.root;
  kfree(av, where);
  if (root !== av) {
    root.refcount = decRef(root.refcount, root.name);
    if (root.refcount === 0) kfree(root, where);
  }
}

/** anon_vma_chain_link: chain `vma` to `av`. */
export function chainLink(registry: ObjectRegistry, vma: Vma, av: AnonVma): AnonVmaChain {
  const avc = new AnonVmaChain(registry, vma, av);
  vma.anonVmaChain.push(avc);
  av.chains.add(avc);
  return avc;
}
