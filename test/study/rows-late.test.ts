import { describe, it } from 'vitest';
import { checkRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (late)', () => {
  it('6.15-6.17.0', () => checkRow('6.15-6.17.0'));
  it('6.17.1+', () => checkRow('6.17.1+'));
  it('6.18', () => checkRow('6.18'));
});
