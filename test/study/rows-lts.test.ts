import { describe } from 'vitest';
import { describeRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (lts)', () => {
  describeRow('6.12.8-6.12.50');
  describeRow('6.12.51-6.12.82');
  describeRow('6.12.83+');
  describeRow('6.13.2-6.14');
});
