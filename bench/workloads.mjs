/**
 * The workloads, shared by every library. Each is { ops, run(), setup?() }: `setup` runs untimed
 * before every timed `run` (mutating workloads start from a fresh copy of the same layout), and
 * `run` returns a checksum so V8 cannot drop the work and run.mjs can see that libraries agree.
 */
import { MAX_INDEX } from '../dist/index.js';
import { mulberry32, randInt } from './prng.mjs';

/**
 * n ranges laid out in order: range i starts at base + i*stride and is between half and all but
 * one of the stride long, so the gaps between ranges have random sizes. Key space "31" keeps every
 * key below 2^31; "52" puts them all in [2^51, 2^52), where V8 needs heap numbers.
 */
export function layout(n, keyspace) {
  const base = keyspace === '52' ? 2 ** 51 : 0;
  const top = keyspace === '52' ? 2 ** 52 : 2 ** 31;
  const stride = Math.floor((top - base) / n);
  const rng = mulberry32(0x5eed0000 + n);
  const first = new Float64Array(n);
  const last = new Float64Array(n);
  const half = Math.floor(stride / 2);
  for (let i = 0; i < n; i++) {
    first[i] = base + i * stride;
    last[i] = first[i] + half + randInt(rng, stride - half) - 1;
  }
  return { n, base, stride, span: n * stride, first, last };
}

// Values are small integers (V8 Smis), so memory per range measures the structure, not values.
const val = (i) => (i & 0xffff) + 1;

export function build(make, L, opts) {
  const m = make(opts);
  for (let i = 0; i < L.n; i++) m.store(L.first[i], L.last[i], val(i));
  return m;
}

/** Random range stores over the layout: up to two strides long, so they overwrite and split. */
function randomStores(L, count, seed) {
  const rng = mulberry32(seed);
  const f = new Float64Array(count);
  const l = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    f[k] = L.base + randInt(rng, L.span);
    l[k] = f[k] + randInt(rng, 2 * L.stride);
  }
  return { f, l };
}

function applyStores(m, s) {
  for (let k = 0; k < s.f.length; k++) m.store(s.f[k], s.l[k], val(k));
}

export const WRITES = 1e4;

export function makeWorkload(name, make, L) {
  const n = L.n;
  let m = null;
  const fresh = (opts) => () => { m = null; m = build(make, L, opts); };
  const once = (opts) => { m = build(make, L, opts); };

  switch (name) {
    case 'seq-store':
      return { ops: n, run: () => { m = build(make, L); return n; } };

    case 'load': {
      once();
      const rng = mulberry32(2);
      const q = new Float64Array(1e5);
      for (let k = 0; k < q.length; k++) q[k] = L.base + randInt(rng, L.span);
      return {
        ops: q.length,
        run: () => {
          let hits = 0;
          for (let k = 0; k < q.length; k++) if (m.load(q[k]) !== undefined) hits++;
          return hits;
        },
      };
    }

    case 'iterate':
    case 'iterate-mas': {
      once();
      const each = name === 'iterate' ? 'forEach' : 'forEachMas';
      return {
        ops: n,
        run: () => {
          let sum = 0;
          m[each]((v, f, l) => { sum += v + (l - f); });
          return sum;
        },
      };
    }

    case 'rand-store': {
      const s = randomStores(L, Math.min(WRITES, n), 3);
      return { ops: s.f.length, setup: fresh(), run: () => { applyStores(m, s); return m.load(s.f[0]); } };
    }

    case 'erase': {
      // Distinct ranges, each hit at a random point inside it.
      const rng = mulberry32(4);
      const count = Math.min(WRITES, n / 2);
      const idx = new Float64Array(count);
      const used = new Set();
      for (let k = 0; k < count;) {
        const i = randInt(rng, n);
        if (used.has(i)) continue;
        used.add(i);
        idx[k++] = L.first[i] + randInt(rng, L.last[i] - L.first[i] + 1);
      }
      return {
        ops: count,
        setup: fresh(),
        run: () => {
          let gone = 0;
          for (let k = 0; k < count; k++) if (m.erase(idx[k]) !== undefined) gone++;
          return gone;
        },
      };
    }

    case 'gap-rev': {
      // About 1% of gaps are this large, so a search passes ~100 ranges on average.
      once({ alloc: true });
      const size = Math.floor(Math.floor(L.stride / 2) * 0.99);
      const rng = mulberry32(5);
      const q = new Float64Array(1e4);
      for (let k = 0; k < q.length; k++) q[k] = L.base + randInt(rng, L.span);
      return {
        ops: q.length,
        run: () => {
          let sum = 0;
          for (let k = 0; k < q.length; k++) sum += m.gapRev(L.base, q[k], size) - L.base;
          return sum;
        },
      };
    }

    case 'alloc': {
      const size = Math.floor(Math.floor(L.stride / 2) * 0.99);
      const count = Math.min(WRITES, Math.max(10, n / 200));
      const rng = mulberry32(6);
      const lo = new Float64Array(count);
      for (let k = 0; k < count; k++) lo[k] = L.base + randInt(rng, L.span);
      return {
        ops: count,
        setup: fresh({ alloc: true }),
        run: () => {
          let sum = 0;
          for (let k = 0; k < count; k++) sum += m.alloc(size, val(k), lo[k], MAX_INDEX) - L.base;
          return sum;
        },
      };
    }

    case 'dup':
      once();
      return { ops: n, run: () => { const c = m.clone(); return c === m ? 0 : 1; } };

    case 'dup-writes': {
      // The copy plus the next writes to it: a copy-on-write clone pays here instead.
      once();
      const s = randomStores(L, Math.min(WRITES, n), 7);
      return { ops: s.f.length, run: () => { const c = m.clone(); applyStores(c, s); return c.load(s.f[0]); } };
    }

    default:
      throw new Error(`unknown workload ${name}`);
  }
}
