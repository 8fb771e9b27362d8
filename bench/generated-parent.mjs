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

/**
 * The same process as the text of its /proc/<pid>/smaps (mapping lines with Rss: and Swap:), for
 * `mapletree study --maps`: `node bench/generated-parent.mjs N > N.smaps`.
 */
export function generatedParentSmaps(n) {
  const hex = (x) => x.toString(16).padStart(8, '0');
  return generatedParentSpecs(n).map((s, i) => {
    const head = `${hex(s.start)}-${hex(s.end)} ${s.perms} ${hex(s.file?.offset ?? 0)} ${s.file ? '08:01' : '00:00'} ${s.file ? 1000 + (i % 50) : 0}`;
    const line = s.file ? `${head.padEnd(72)} ${s.file.path}` : head;
    return `${line}\nRss:    ${((s.resident ?? 0) - (s.swapped ?? 0)) * 4} kB\nSwap:   ${(s.swapped ?? 0) * 4} kB\n`;
  }).join('');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(generatedParentSmaps(Number(process.argv[2] ?? 1000)));
