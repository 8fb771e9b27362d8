import { describe } from 'vitest';
import { describeRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (early)', () => {
  describeRow('6.8.0-6.8.7');
  describeRow('6.8.8-6.9');
  describeRow('6.10-6.11.6');
  describeRow('6.11.7-6.12.7');
});
