import { describe, it } from 'vitest';
import { checkRow } from './rows.js';

describe('the real kernels\' rows of the study at bound 1 (early)', () => {
  it('6.8.0-6.8.7', () => checkRow('6.8.0-6.8.7'));
  it('6.8.8-6.9', () => checkRow('6.8.8-6.9'));
  it('6.10-6.11.6', () => checkRow('6.10-6.11.6'));
  it('6.11.7-6.12.7', () => checkRow('6.11.7-6.12.7'));
});
