import { describe, it } from 'vitest';
import { checkRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (7.0)', () => {
  it('7.0', () => checkRow('7.0'));
});
