// The compose schema validated a service at a time (each service's errors remembered by its value) gives exactly the
// errors of one validation of the whole file: on every corpus compose file, and on random wrong values put into them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCompose } from '../../server/src/parse/compose';
import { COMPOSE_SCHEMA, SERVICE_NAME, schemaErrors } from '../../server/src/model/composeSchema';
import { CORPUS, walk } from '../bench/corpus';
import { rng as random } from '../fuzz/mutate';

const WRONG: unknown[] = [1, -3, 'x', '${PORT}', true, null, [], ['a', 'a'], [1, { a: 1 }], {}, { nope: 1 }, { condition: 'x' }];

/** A copy of a compose value with a few services given a wrong value at a random key (or an unknown key). */
function mutate(value: Record<string, unknown>, rnd: () => number): Record<string, unknown> {
  const services = { ...(value.services as Record<string, Record<string, unknown>>) };
  const names = Object.keys(services);
  for (let k = 0; k < 3 && names.length; k++) {
    const name = names[Math.floor(rnd() * names.length)];
    const svc = services[name];
    if (!svc || typeof svc !== 'object') continue;
    const keys = [...Object.keys(svc), 'imagee', 'healthcheck', 'deploy', 'ports'];
    services[name] = { ...svc, [keys[Math.floor(rnd() * keys.length)]]: WRONG[Math.floor(rnd() * WRONG.length)] };
  }
  const out: Record<string, unknown> = { ...value, services };
  // and now and then the file itself: a wrong top-level value or an unknown top-level key
  if (rnd() < 0.3) out[['volumes', 'networks', 'name', 'secrets', 'include', 'servicez'][Math.floor(rnd() * 6)]] = WRONG[Math.floor(rnd() * WRONG.length)];
  return out;
}

// the order of errors within one path matters to the message (the first error's keyword), so it is compared too
const byPath = (errs: { instancePath: string }[]) => [...errs].sort((a, b) => (a.instancePath < b.instancePath ? -1 : a.instancePath > b.instancePath ? 1 : 0))
  .map((e) => JSON.stringify({ ...e, schemaPath: undefined }));

describe('compose schema, a service at a time', () => {
  it('gives the errors of one validation of the whole file', () => {
    const files = walk(path.join(CORPUS, 'compose'), (n) => /\.ya?ml$/.test(n));
    assert.ok(files.length >= 150, 'the corpus compose files are next to the project');
    const rnd = random(17);
    let compared = 0;
    let withErrors = 0;
    for (const file of files) {
      const parsed = parseCompose(fs.readFileSync(file, 'utf8'));
      for (const value of parsed.values) {
        if (!value || typeof value !== 'object') continue;
        const variants = [value, ...((value as { services?: unknown }).services && typeof (value as { services?: unknown }).services === 'object' ? [0, 1, 2].map(() => mutate(value as Record<string, unknown>, rnd)) : [])];
        for (const v of variants) {
          const whole = schemaErrors(v, { whole: true });
          assert.deepStrictEqual(byPath(schemaErrors(v)), byPath(whole), `errors differ on ${path.relative(CORPUS, file)}`);
          compared++;
          if (whole.length) withErrors++;
        }
      }
    }
    assert.ok(withErrors > 200, `${withErrors} of ${compared} values had errors`);
  });
});

describe('service names', () => {
  it('are checked with the pattern the schema gives for them', () => {
    const services = (COMPOSE_SCHEMA as { properties: { services: { patternProperties: Record<string, unknown> } } }).properties.services;
    assert.deepEqual(Object.keys(services.patternProperties), [SERVICE_NAME.source]);
  });
});
