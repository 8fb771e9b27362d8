/**
 * mulberry32: a tiny seeded PRNG, so every library sees the same keys in every run.
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n) for n up to 2^53: two draws, since one gives only 32 bits. */
export function randInt(rng, n) {
  if (n <= 4294967296) return Math.floor(rng() * n);
  return Math.floor((rng() + rng() / 4294967296) * n);
}
