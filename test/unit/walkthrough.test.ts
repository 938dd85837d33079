// The first-run walkthrough in package.json: every step's media exists and is packaged, every command it links to or
// waits for is contributed and registered by the client (or is a VS Code command), and every view it waits for exists.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../../server/scripts/gen';

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string; svg?: string }; completionEvents?: string[] }
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const walkthroughs = pkg.contributes.walkthroughs as { id: string; steps: Step[] }[];
const contributed = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
const views = new Set(Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id));

function clientSource(dir = path.join(ROOT, 'client', 'src'), out: string[] = []): string {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) clientSource(p, out); else if (e.name.endsWith('.ts')) out.push(fs.readFileSync(p, 'utf8'));
  }
  return out.join('\n');
}

/** A Hullcheck command must be contributed and registered; a view's focus command comes with the view. */
function assertCommand(id: string, source: string): void {
  if (!id.startsWith('hullcheck.')) { assert.match(id, /^workbench\./, `${id} is a VS Code command`); return; }
  const view = /^(.*)\.focus$/.exec(id);
  if (view) { assert.ok(views.has(view[1]), `${id}: no view ${view[1]}`); return; }
  assert.ok(contributed.has(id), `${id} is not contributed`);
  assert.ok(source.includes(`'${id}'`) || new RegExp(`= '${id.replace(/\./g, '\\.')}'`).test(source), `${id} is not registered by the client`);
}

test('the walkthrough covers the first run: a finding, fix all, a budget, the smoke test and Trivy', () => {
  assert.equal(walkthroughs.length, 1);
  assert.deepEqual(walkthroughs[0].steps.map((s) => s.id), ['findings', 'fixAll', 'budgets', 'smoke', 'trivy']);
});

test('every step has packaged media and links only to commands and views that exist', () => {
  const source = clientSource();
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  for (const step of walkthroughs[0].steps) {
    const media = step.media.markdown ?? step.media.image ?? step.media.svg;
    assert.ok(media && fs.statSync(path.join(ROOT, media)).size > 0, `${step.id}: media ${media}`);
    assert.ok(ignore.split('\n').some((l) => l.startsWith('!') && media.startsWith(l.slice(1).replace(/\*\*$/, ''))), `${media} is packaged`);
    const links = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.ok(links.length > 0, `${step.id} offers an action`);
    for (const id of links) assertCommand(id, source);
    for (const ev of step.completionEvents ?? []) {
      const [kind, id] = [ev.slice(0, ev.indexOf(':')), ev.slice(ev.indexOf(':') + 1)];
      if (kind === 'onCommand') assertCommand(id, source);
      else if (kind === 'onView') assert.ok(views.has(id), `${step.id}: no view ${id}`);
      else assert.fail(`${step.id}: unexpected completion event ${ev}`);
    }
  }
});
