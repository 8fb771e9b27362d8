import { describe, it } from 'vitest';
import { checkRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (lts)', () => {
  it('6.12.8-6.12.50', () => checkRow('6.12.8-6.12.50'));
  it('6.12.51-6.12.82', () => checkRow('6.12.51-6.12.82'));
  it('6.12.83+', () => checkRow('6.12.83+'));
  it('6.13.2-6.14', () => checkRow('6.13.2-6.14'));
});
