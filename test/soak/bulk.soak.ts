/**
 * The long differential soak (`npm run test:soak`): the bulk run's 16 seeds × 64,000 operations with
 * validate() after every operation and a full comparison every 64th, the full-strength version of property.test.ts's bulk run.
 */
import { describe, it } from 'vitest';
import { bulkRun } from '../tree/differential.js';

describe('bulk random operations, validated after every operation', () => {
  for (let seed = 1; seed <= 16; seed++) it(`seed ${seed}`, () => bulkRun(seed, { validate: 1, compare: 64 }));
});
