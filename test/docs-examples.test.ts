/**
 * The tree's API reference keeps its promises: every public method of MapleTree and MaState says
 * what it costs and has an @example, and every example runs as written against the build (each a
 * module of its own, with the package's root exports imported).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CLASSES: readonly [string, string][] = [['src/tree/tree.ts', 'MapleTree'], ['src/tree/state.ts', 'MaState']];
const PRELUDE = `import { MapleTree, MaState, MapleError, NodeAllocator, ZERO_ENTRY, MAX_INDEX } from '${pathToFileURL(join(ROOT, 'dist/index.js')).href}';\n`;

interface Documented {
  readonly name: string;
  readonly text: string;
  readonly examples: readonly string[];
}

/** The public methods of a class (no #private, no `private`), with their doc comment's text and examples. */
function publicMethods(file: string, className: string): Documented[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const cls = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
  if (!cls) throw new Error(`${file} has no class ${className}`);
  const out: Documented[] = [];
  for (const m of cls.members) {
    if (!ts.isMethodDeclaration(m) || ts.isPrivateIdentifier(m.name)) continue;
    if (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    const docs = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
    const text = docs.map((d) => d.getText()).join('\n');
    const examples = docs.flatMap((d) => (d.tags ?? []).filter((t) => t.tagName.text === 'example'))
      .map((t) => ts.getTextOfJSDocComment(t.comment) ?? '')
      .map((c) => /```ts\n([\s\S]*?)```/.exec(c)?.[1] ?? c);
    out.push({ name: `${className}.${m.name.getText(source)}`, text, examples });
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'mapletree-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(CLASSES)('%s: %s', (file, className) => {
  const methods = publicMethods(file, className);
  it('has public methods to check', () => {
    expect(methods.length).toBeGreaterThan(10);
  });

  it('states the cost of every public method and gives it an example', () => {
    const missing = methods.flatMap((m) => [
      ...(/Cost:|\bO\(/.test(m.text) ? [] : [`${m.name}: no cost`]),
      ...(m.examples.length > 0 ? [] : [`${m.name}: no @example`]),
    ]);
    expect(missing).toEqual([]);
  });

  it('runs every example as written', () => {
    // Each example is a module of its own, run in turn by one node process per class: a start is
    // most of an example's time. A runner reports the first error line of each that throws.
    const files = methods.flatMap((m, i) => m.examples.map((code, k) => {
      const js = ts.transpileModule(PRELUDE + code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      const path = join(work, `${className}-${i}-${k}.mjs`);
      writeFileSync(path, js);
      return { name: m.name, url: pathToFileURL(path).href };
    }));
    expect(files.length).toBeGreaterThan(10);
    const runner = join(work, `${className}-run.mjs`);
    const report = join(work, `${className}-failed.json`);
    // The examples print what they show; the runner's report goes to a file.
    writeFileSync(runner, `import { writeFileSync } from 'node:fs';
const failed = [];
for (const { name, url } of ${JSON.stringify(files)}) {
  try {
    await import(url);
  } catch (e) {
    failed.push(name + ': ' + (String(e?.stack ?? e).split('\\n').find((l) => /Error/.test(l)) ?? String(e)));
  }
}
writeFileSync(${JSON.stringify(report)}, JSON.stringify(failed));
`);
    execFileSync(process.execPath, [runner], { stdio: ['ignore', 'ignore', 'pipe'] });
    const failed = JSON.parse(readFileSync(report, 'utf8')) as string[];
    expect(failed).toEqual([]);
  });
});
