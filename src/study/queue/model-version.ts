/**
 * The model version a queued job carries: the package version and a digest of the model's source
 * (tree, mm, explore, study), so two workers agree on a result only when they run the same model.
 * The source ships with the package (package.json "files"), so a built worker and a test run from
 * source compute the same digest.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODEL_FOLDERS = ['tree', 'mm', 'explore', 'study'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  }).sort();
}

let cached: string | undefined;

/** `0.1.0+3fa9c2d41b07`: package version + the first 12 hex digits of the source digest. */
export function modelVersion(): string {
  if (cached !== undefined) return cached;
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256');
  for (const folder of MODEL_FOLDERS) {
    const base = join(root, 'src', folder);
    for (const file of sourceFiles(base)) hash.update(`${file.slice(base.length)}\0`).update(readFileSync(file)).update('\0');
  }
  cached = `${pkg.version}+${hash.digest('hex').slice(0, 12)}`;
  return cached;
}
