/**
 * The benches' generated process of `n` VMAs, as VMA specs: every tenth VMA anonymous with four
 * resident pages (every twentieth with two more on swap), the rest file-backed from fifty
 * libraries, a third of them executable. bench/fork.mjs forks it; bench/large-parent.mjs studies it.
 */
export function generatedParentSpecs(n) {
  const specs = [];
  for (let i = 0; i < n; i++) {
    const start = 0x10000000 + i * 0x20000;
    const anon = i % 10 === 0;
    specs.push(anon
      ? { start, end: start + 0x8000, perms: 'rw-p', resident: 4, swapped: i % 20 === 0 ? 2 : 0 }
      : { start, end: start + 0x4000, perms: i % 3 === 0 ? 'r-xp' : 'r--p', file: { path: `/lib/lib${i % 50}.so`, offset: 0 } });
  }
  return specs;
}
