#!/usr/bin/env node
/**
 * Checks every adapter against a dense-array oracle over a few thousand random stores, erases,
 * loads and gap searches with a fixed seed, in a small key space and one near 2^52 (large keys
 * are heap numbers in V8). Run after `npm run build`: node bench/adapters.check.mjs
 */
import assert from 'node:assert/strict';
import { mulberry32, randInt } from './prng.mjs';
import { LIBS } from './adapters/index.mjs';

const N = 600;
const OPS = 4000;

function oracleGapRev(d, min, max, size) {
  let run = 0;
  for (let i = max; i >= min; i--) {
    run = d[i] === undefined ? run + 1 : 0;
    if (run === size) return i;
  }
  return -1;
}

function oracleAlloc(d, min, max, size) {
  let run = 0;
  for (let i = min; i <= max; i++) {
    run = d[i] === undefined ? run + 1 : 0;
    if (run === size) return i - size + 1;
  }
  return -1;
}

function listing(d, base) {
  const out = [];
  for (let i = 0; i < d.length; i++) {
    if (d[i] === undefined) continue;
    const last = out[out.length - 1];
    // Values are unique per store, so adjacent equal values are one range.
    if (last && last[0] === d[i] && last[2] === base + i - 1) last[2]++;
    else out.push([d[i], base + i, base + i]);
  }
  return out;
}

function checkRangeMap(name, lib, base, seed) {
  const rng = mulberry32(seed);
  const m = lib.make({ alloc: true });
  const d = new Array(N).fill(undefined);
  const can = (w) => lib.workloads.includes(w);
  let serial = 1;
  for (let op = 0; op < OPS; op++) {
    const r = rng();
    const x = randInt(rng, N);
    if (r < 0.5) {
      const len = 1 + randInt(rng, rng() < 0.8 ? 20 : 200);
      const last = Math.min(N - 1, x + len - 1);
      const v = serial++;
      m.store(base + x, base + last, v);
      for (let i = x; i <= last; i++) d[i] = v;
    } else if (r < 0.65 && can('erase')) {
      const got = m.erase(base + x);
      const want = d[x];
      assert.equal(got, want, `${name} erase(${x}) op ${op}`);
      if (want !== undefined) {
        for (let i = x; i >= 0 && d[i] === want; i--) d[i] = undefined;
        for (let i = x + 1; i < N && d[i] === want; i++) d[i] = undefined;
      }
    } else if (r < 0.75 && can('gap-rev')) {
      const lo = randInt(rng, N);
      const hi = lo + randInt(rng, N - lo);
      const size = 1 + randInt(rng, 12);
      assert.equal(m.gapRev(base + lo, base + hi, size), (o => (o < 0 ? -1 : base + o))(oracleGapRev(d, lo, hi, size)),
        `${name} gapRev(${lo}, ${hi}, ${size}) op ${op}`);
    } else if (r < 0.8 && can('alloc')) {
      const lo = randInt(rng, N);
      const hi = lo + randInt(rng, N - lo);
      const size = 1 + randInt(rng, 12);
      const want = oracleAlloc(d, lo, hi, size);
      const v = serial++;
      assert.equal(m.alloc(size, v, base + lo, base + hi), want < 0 ? -1 : base + want, `${name} alloc op ${op}`);
      if (want >= 0) for (let i = want; i < want + size; i++) d[i] = v;
    } else {
      assert.equal(m.load(base + x), d[x], `${name} load(${x}) op ${op}`);
    }
    if (op % 500 === 499) {
      for (let i = 0; i < N; i++) assert.equal(m.load(base + i), d[i], `${name} sweep load(${i}) op ${op}`);
      const seen = [];
      m.forEach((v, f, l) => seen.push([v, f, l]));
      assert.deepEqual(seen, listing(d, base), `${name} forEach op ${op}`);
      if (m.forEachMas) {
        const mas = [];
        m.forEachMas((v, f, l) => mas.push([v, f, l]));
        assert.deepEqual(mas, seen, `${name} forEachMas op ${op}`);
      }
    }
  }
  if (can('dup')) {
    const c = m.clone();
    c.store(base, base + N - 1, -1);
    for (let i = 0; i < N; i++) assert.equal(m.load(base + i), d[i], `${name} original changed by a write to its clone`);
  }
}

/** Interval trees: non-overlapping inserts, then point stabs everywhere. */
function checkStabbing(name, lib, base, seed) {
  const rng = mulberry32(seed);
  const m = lib.make({});
  const d = new Array(N).fill(undefined);
  for (let x = 0, v = 1; x < N; v++) {
    const len = 1 + randInt(rng, 10);
    if (rng() < 0.7) {
      const last = Math.min(N - 1, x + len - 1);
      m.store(base + x, base + last, v);
      for (let i = x; i <= last; i++) d[i] = v;
    }
    x += len;
  }
  for (let i = 0; i < N; i++) assert.equal(m.load(base + i), d[i], `${name} load(${i})`);
}

let failed = 0;
for (const [name, lib] of Object.entries(LIBS)) {
  for (const base of [0, 2 ** 52 - N]) {
    try {
      if (lib.workloads.includes('rand-store')) checkRangeMap(name, lib, base, 0xc0ffee);
      else checkStabbing(name, lib, base, 0xbeef);
      console.log(`ok   ${name} (base ${base})`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name} (base ${base}): ${e.message.split('\n')[0]}`);
    }
  }
}
process.exitCode = failed > 0 ? 1 : 0;
