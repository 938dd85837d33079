// `hullcheck init`: print a first `.hullcheck.yaml` for the current folder, and write it with --write (or after a
// yes on a terminal). An existing configuration is never replaced without --force or a yes.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { writeFileAtomic } from '../core/atomicWrite';
import { nodeHost } from '../core/fileHost';
import { CONFIG_NAMES } from '../config/hullcheckConfig';
import { listImages, type LocalImage } from '../docker/images';
import { loadWorkspace } from '../docker/workspace';
import { scaffoldConfig } from '../init/scaffold';
import { cliEngine } from './image';

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export const INIT_USAGE = `Usage: hullcheck init [--write] [--force] [--no-engine] [--host HOST]

Prints a .hullcheck.yaml for the current folder: the preset, compose project sets, budgets from the sizes of
built images plus 10 % (asks the Docker engine unless --no-engine) and smoke endpoints from healthchecks.
  --write        Write it (on a terminal, init asks instead)
  --force        Replace an existing .hullcheck.yaml
  --no-engine    Do not ask the Docker engine; budgets stay a commented template
  --host HOST    The Docker engine to ask
`;

export interface InitOptions { cwd?: string; ask?: (question: string) => Promise<boolean> }

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try { return /^y(es)?$/i.test((await rl.question(question)).trim()); } finally { rl.close(); }
}

export async function initMain(argv: string[], out: Out, opts: InitOptions = {}): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { write: { type: 'boolean' }, force: { type: 'boolean' }, 'no-engine': { type: 'boolean' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n\n${INIT_USAGE}`);
    return 2;
  }
  if (values.help) { out.stdout(INIT_USAGE); return 0; }
  const folder = path.resolve(opts.cwd ?? process.cwd());
  const model = await loadWorkspace(folder, nodeHost);
  let images: LocalImage[] | undefined;
  if (!values['no-engine']) {
    try {
      const engine = await cliEngine(values.host);
      try { images = await listImages(engine); } finally { engine.dispose(); }
    } catch (e) {
      out.stderr(`hullcheck: budgets stay a template: ${(e as Error).message}\n`);
    }
  }
  const text = await scaffoldConfig({ folder, host: nodeHost, model, images });
  out.stdout(text);
  const ask = opts.ask ?? (process.stdin.isTTY && process.stderr.isTTY ? askOnTerminal : undefined);
  const existing = (await Promise.all(CONFIG_NAMES.map(async (n) => ((await nodeHost.kind(path.join(folder, n))) !== 'missing' ? n : undefined)))).find(Boolean);
  // a replaced .hullcheck.yml stays that file, so two configurations never sit side by side
  const target = path.join(folder, existing ?? CONFIG_NAMES[0]);
  let write = values.write === true;
  if (!write && ask) write = await ask(`Write ${CONFIG_NAMES[0]}? [y/N] `);
  if (!write) return 0;
  if (existing && !values.force && !(ask && await ask(`${existing} exists. Replace it? [y/N] `))) {
    out.stderr(`hullcheck: ${existing} exists; nothing written (use --force to replace it).\n`);
    return values.write ? 2 : 0;
  }
  await writeFileAtomic(target, text, { createOnly: !existing });
  out.stderr(`hullcheck: wrote ${path.relative(process.cwd(), target) || target}\n`);
  return 0;
}
