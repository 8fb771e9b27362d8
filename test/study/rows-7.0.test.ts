import { describe } from 'vitest';
import { describeRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (7.0)', () => {
  describeRow('7.0');
});
