import { describe } from 'vitest';
import { describeRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (late)', () => {
  describeRow('6.15-6.17.0');
  describeRow('6.17.1+');
  describeRow('6.18');
});
