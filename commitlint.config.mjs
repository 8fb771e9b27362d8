// Commit subjects as the kernel writes them: "area: what changed", at most 72 characters, the why
// in the body. The areas are the project's layers and its supporting folders.
export default {
  rules: {
    'type-enum': [2, 'always', ['tree', 'mm', 'explore', 'study', 'cli', 'bench', 'test', 'docs', 'ci']],
    'type-empty': [2, 'never'],
    'subject-empty': [2, 'never'],
    'header-max-length': [2, 'always', 72],
    'body-leading-blank': [2, 'always'],
  },
};
