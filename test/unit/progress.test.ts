// The lint progress line: terminal only, after a second, throttled, erased before other output.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Progress } from '../../server/src/cli/progress';

function setup(tty: boolean) {
  let t = 0;
  const err: string[] = [];
  const out: string[] = [];
  const p = new Progress(5, { tty, write: (s) => err.push(s), columns: 40, now: () => t });
  const guarded = p.guard({ stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) });
  return { p, err, out, guarded, at: (ms: number) => { t = ms; } };
}

describe('progress line', () => {
  it('stays silent in the first second, then redraws at most every 100 ms on one row', () => {
    const { p, err, at } = setup(true);
    p.tick('a/Dockerfile');
    at(900); p.tick('b/Dockerfile');
    assert.equal(err.length, 0);
    at(1000); p.tick('c/Dockerfile');
    at(1050); p.tick('d/Dockerfile');
    at(1100); p.tick('a/very/long/path/that/does/not/fit/on/the/row/Dockerfile');
    assert.equal(err.length, 2);
    assert.equal(err[0], '\r\x1b[2Khullcheck: 3/5 files c/Dockerfile');
    assert.ok(err[1].startsWith('\r\x1b[2Khullcheck: 5/5 files') && err[1].length - 5 <= 39, JSON.stringify(err[1]));
    p.end();
    assert.equal(err[2], '\r\x1b[2K');
  });

  it('erases the line before a message or the report, and never writes to stdout itself', () => {
    const { p, err, out, guarded, at } = setup(true);
    at(2000); p.tick('x');
    guarded.stderr('hullcheck: a notice\n');
    guarded.stdout('report\n');
    assert.deepEqual(err, ['\r\x1b[2Khullcheck: 1/5 files x', '\r\x1b[2K', 'hullcheck: a notice\n']);
    assert.deepEqual(out, ['report\n']);
  });

  it('draws nothing when stderr is not a terminal', () => {
    const { p, err, guarded, at } = setup(false);
    at(5000); p.tick('x'); p.end();
    guarded.stdout('r');
    assert.deepEqual(err, []);
  });
});
