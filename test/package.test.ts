/**
 * The package as a consumer gets it: `npm pack` (of the build `npm test` made first), installed into
 * an empty project, imported from ESM and from require(), and type-checked with `module: nodenext`
 * against the shipped declarations (skipLibCheck off, so a broken .d.ts fails here), with the
 * README's ```ts blocks type-checked beside the consumer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks } from './readme/blocks.js';

const ROOT = resolve(import.meta.dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let work: string;
let project: string;
let installed: string;

/** Runs a command; a failure throws with everything it printed (tsc reports on stdout). */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));
}

const CONSUMER = `import { MapleTree, MapleError, ZERO_ENTRY } from 'mapletree';
import { Kernel, createMm } from 'mapletree/mm';
import { explore, getModel } from 'mapletree/explore';
import { buildScenario, FORK_EXIT_MODEL } from 'mapletree/study';
import { treeSvg } from 'mapletree/internals';

const mt = new MapleTree<string>();
mt.storeRange(10, 19, 'ten');
const hit: string | undefined = mt.load(15);
let code = '';
try {
  mt.insertRange(12, 13, 'clash');
} catch (e) {
  if (e instanceof MapleError) code = e.code;
}
mt.store(30, ZERO_ENTRY);
const mm = createMm(new Kernel());
const world = buildScenario({ kernel: '7.0', walkers: ['swapoff'] });
const model = getModel(FORK_EXIT_MODEL);
const result = explore({ model: model.name, variant: '7.0/none/none', bound: 0 });
console.log(JSON.stringify({
  hit, code, zero: mt.load(30) === undefined, svg: treeSvg(mt).startsWith('<svg'), mmUsers: typeof mm.mapCount,
  tasks: world.tasks.map((t) => t.name), outcome: result.outcome,
}));
`;

describe('the packed package, installed into an empty project', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'mapletree-pack-'));
    // The build is pretest's; --ignore-scripts keeps prepack from rebuilding dist under other test files.
    const tarball = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT).trim().split('\n').pop()!;
    project = join(work, 'consumer');
    run('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(work, tarball)], project);
    installed = join(project, 'node_modules', 'mapletree');
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships no install-time build script', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[hook]).toBeUndefined();
  });

  it('ships the sources every source map points at', () => {
    const maps = filesUnder(join(installed, 'dist')).filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      for (const s of sources) if (!existsSync(resolve(dirname(map), s))) missing.push(`${map}: ${s}`);
    }
    expect(missing).toEqual([]);
  });

  it('type-checks a consumer and the README with module nodenext, and runs the consumer as ESM', () => {
    writeFileSync(join(project, 'main.ts'), CONSUMER);
    const readme = readmeBlocks().map((b) => {
      writeFileSync(join(project, `readme-${b.line}.ts`), b.code);
      return `readme-${b.line}.ts`;
    });
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false,
        exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, outDir: 'out',
        types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: ['main.ts', ...readme],
    }));
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    const out = JSON.parse(run(process.execPath, ['out/main.js'], project)) as Record<string, unknown>;
    expect(out).toEqual({ hit: 'ten', code: 'EEXIST', zero: true, svg: true, mmUsers: 'number', tasks: ['fork', 'swapoff'], outcome: 'verified' });
  });

  it('names the module to import when a model is not registered', () => {
    writeFileSync(join(project, 'unregistered.mjs'), `import { getModel } from 'mapletree/explore';
try { getModel('fork-exit'); } catch (e) { console.log(e.message); }
`);
    expect(run(process.execPath, ['unregistered.mjs'], project)).toContain("import 'mapletree/study' for fork-exit");
  });

  it('loads with require() on this Node (>= 20.19)', () => {
    writeFileSync(join(project, 'main.cjs'), `const { MapleTree } = require('mapletree');
const { studyHtml } = require('mapletree/study');
const mt = new MapleTree();
mt.storeRange(1, 2, 'x');
console.log(JSON.stringify([mt.load(2), typeof studyHtml]));
`);
    expect(JSON.parse(run(process.execPath, ['main.cjs'], project))).toEqual(['x', 'function']);
  });
});
