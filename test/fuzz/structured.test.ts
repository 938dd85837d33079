// The structured part of the fuzz campaign in CI: generated globs, pragmas and nested YAML, a short run per
// property (`npm run fuzz -- --structured N` runs longer). HULLCHECK_FUZZ_SEED replays another seed.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runStructured } from './structured';

const SEED = Number(process.env.HULLCHECK_FUZZ_SEED ?? 20_240_601);
const RUNS = 60;

test(`structured adversarial inputs: ${RUNS} runs per property`, { timeout: 120_000 }, async () => {
  assert.deepEqual(await runStructured(RUNS, SEED), []);
});
