import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The layers (README, "Architecture"): what each folder of src/ may import, enforced here. */
const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});
const TREE_ONLY = 'the tree (src/tree) imports nothing: no other layer of the project and no package';
const NOT_IN_EXPLORE = 'the explorer (src/explore) is a general tool: it imports nothing of tree/, mm/, study/ or cli/';
const MM_NEEDS = 'the model (src/mm) imports the tree and the explorer\'s protocol and its one scheduler (protocol.js, sync.js), never the search, the study or the CLI';
const NOT_IN_STUDY = 'the study (src/study) is driven by the CLI, never the other way';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'reports/**', 'docs/api/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', globalThis: 'readonly',
        performance: 'readonly', URL: 'readonly', Buffer: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', queueMicrotask: 'readonly',
        structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Model code must stay deterministic: the explorer replays it step for step.
    files: ['src/tree/**', 'src/mm/**', 'src/explore/**', 'src/study/**'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'use the seeded PRNG (src/explore/prng.ts)' },
        { object: 'Date', property: 'now', message: 'no clocks in model code' }],
    },
  },
  {
    // V8 gives each generator function object a map of its own in the old generation, which
    // leads back to the closure's context: a `function*` made per call (per execution, in a
    // model) keeps everything it closes over alive through every scavenge until a full GC —
    // a quarter of the study's time once (BENCHMARKS.md, "Fourth round").
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: ':function :function[generator=true]',
        message: 'no generator function inside a function: make it module-level and pass what it needs (a nested function* keeps its closure alive through the GC\'s scavenges)',
      }],
    },
  },
  layer(['src/tree/**/*.ts'], [{ regex: '^(?!\\./)', message: TREE_ONLY }]),
  layer(['src/explore/**/*.ts'], [{ regex: '(^|/)(tree|mm|study|cli)/|^\\.\\./(\\.\\./)*(index|internals)\\.js$', message: NOT_IN_EXPLORE }]),
  layer(['src/mm/**/*.ts'], [
    { regex: '(^|/)(study|cli)/|^\\.\\./(\\.\\./)*(index|internals)\\.js$', message: MM_NEEDS },
    { regex: '(^|/)explore/(?!(protocol|sync)\\.js$)', message: MM_NEEDS, allowTypeImports: true },
  ]),
  layer(['src/study/**/*.ts'], [{ regex: '(^|/)cli/', message: NOT_IN_STUDY }]),
);
