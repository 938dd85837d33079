// compose-env-file-missing: an `env_file` that does not exist (unless marked `required: false`).

import * as path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import { envFileEntries } from '../../facts/composeFacts';
import { nodeOf, valueRange } from '../composeRuleHelpers';
import { interpolate } from '../../model/composeValues';
import { pairIn } from '../../parse/compose';
import { mentionsFile } from '../../facts/envFileSetup';

/** Whether a comment line of the compose file names the env file (`# set STATIC_CRON_TOKEN in your .env file`). */
export function commentNames(text: string, file: string): boolean {
  const name = path.basename(file);
  return text.split(/\r?\n/).some((l) => l.trimStart().startsWith('#') && mentionsFile(l, name));
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-env-file-missing',
    language: 'compose',
    category: 'compose',
    title: 'Point env_file at files that exist',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'Compose refuses to start a service whose `env_file` is missing. When the file is created per machine (an ' +
        'untracked `.env`), say so with `required: false` or ship an example to copy, so a fresh checkout does not ' +
        'fail with a bare "no such file" error.',
      invalid: 'services:\n  api:\n    image: example/api:2.1\n    env_file: api.env\n',
      valid: 'services:\n  api:\n    image: example/api:2.1\n    env_file:\n      - path: api.env\n        required: false\n',
      notes: 'A missing file with a template beside it (`.env` next to `.env.example`, `.sample`, `.template`, `.dist`, ' +
        '`.defaults` or `.tmpl`) is the usual setup: the real file is git-ignored and made from the committed template, so ' +
        'that finding is info and names the template. So is a file the project otherwise says each machine makes: one its ' +
        '`.gitignore` keeps out of the repository, Portainer\'s `stack.env` (written from the stack\'s variables), or one a ' +
        'README beside the compose file or above it (up to the repository root) or a comment of the compose file names. ' +
        'Paths are resolved from the compose file\'s folder. Paths built from variables without defaults are not checked. ' +
        'Unsaved files are not checked.',
    },
  },
  check(ctx) {
    const facts = ctx.facts.compose;
    if (!facts) return;
    for (const svc of ctx.parsed.services) {
      const entries = envFileEntries(svc.value.env_file);
      const node = nodeOf(svc, 'env_file');
      entries.forEach((e, i) => {
        if (!e.required) return;
        const r = interpolate(e.path);
        if (r.unknown) return;
        const abs = path.resolve(facts.dir, r.value);
        if (facts.envFiles.get(abs) !== false) return;
        let at: Node | undefined = isScalar(node) ? node : isSeq(node) ? (node.items[i] as Node) : undefined;
        if (isMap(at)) at = pairIn(svc.doc, at, 'path')?.value as Node | undefined;
        // made per machine in a way the project explains (a template, a .gitignore, a README): a setup step, not a defect
        const setup = facts.envSetups?.get(abs) ?? (commentNames(ctx.parsed.text, abs) ? { kind: 'comment' as const } : undefined);
        const shown = (f: string) => path.relative(path.dirname(path.resolve(ctx.file)), f).split(path.sep).join('/');
        const how = !setup ? undefined
          : setup.kind === 'template' ? `create it from \`${setup.template}\` before starting the stack`
          : setup.kind === 'portainer' ? 'Portainer writes it from the stack\'s environment variables; elsewhere, create it before starting the stack'
          : setup.kind === 'gitignored' ? `it is kept out of the repository (\`${shown(setup.file)}\`), so each machine creates its own before starting the stack`
          : setup.kind === 'comment' ? 'create it as the comments of this file describe before starting the stack'
          : `create it as \`${shown(setup.file)}\` describes before starting the stack`;
        ctx.report({
          range: at ? ctx.parsed.range(at) : valueRange(ctx, svc, 'env_file'),
          ...(how ? { severity: 'info' as const } : {}),
          message: how
            ? `Service \`${svc.name}\` reads \`${e.path}\`, which does not exist yet; ${how}.`
            : `Service \`${svc.name}\` reads \`${e.path}\`, which does not exist; create it or mark the entry \`required: false\`.`,
        });
      });
    }
  },
};

export default rule;
