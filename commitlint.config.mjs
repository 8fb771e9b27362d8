// Commit subjects as the kernel writes them: "area: what changed", or "area, area: …" for a change
// that spans layers (as in the kernel's "mm, slab: …"), at most 72 characters, the why in the body.
// The areas are the project's layers and its supporting folders.
const AREAS = ['tree', 'mm', 'explore', 'study', 'cli', 'bench', 'test', 'docs', 'ci'];

export default {
  parserPreset: {
    parserOpts: {
      headerPattern: /^([a-z]+(?:, [a-z]+)*): (.*)$/,
      headerCorrespondence: ['type', 'subject'],
    },
  },
  plugins: [
    {
      rules: {
        // Every area named in the subject is one of AREAS, each named once.
        'type-areas': ({ type }) => {
          if (!type) return [true];
          const areas = type.split(', ');
          const unknown = areas.filter((a) => !AREAS.includes(a));
          if (unknown.length > 0) return [false, `unknown area ${unknown.join(', ')}; areas are ${AREAS.join(', ')}`];
          if (new Set(areas).size !== areas.length) return [false, `an area is named twice in "${type}"`];
          return [true];
        },
      },
    },
  ],
  rules: {
    'type-areas': [2, 'always'],
    'type-empty': [2, 'never'],
    'subject-empty': [2, 'never'],
    'header-max-length': [2, 'always', 72],
    'body-leading-blank': [2, 'always'],
  },
};
