// compose-undeclared-volume: a service mounts a named volume that no top-level `volumes:` declares.

import { isMap, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import type { TextEdit } from '../../core/findings';
import { appendToMap } from '../composeEdits';
import { declaredInProjects, declaredVolumes, projectSiblings, volumeUses } from '../composeVolumes';
import { deref, keyName } from '../../parse/compose';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const rule: ComposeRule = {
  meta: {
    id: 'compose-undeclared-volume',
    language: 'compose',
    category: 'compose',
    title: 'Declare the named volumes services mount',
    severity: 'error',
    errorReason: 'Compose refuses a service that mounts a named volume the file does not declare.',
    fix: 'safe',
    docs: {
      rationale:
        'Compose rejects a service that mounts a named volume the file does not declare under the top-level ' +
        '`volumes:` key. It is usually a typo in the volume name or a bind mount missing its `./`.',
      invalid: 'services:\n  db:\n    image: postgres:16-alpine\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n',
      valid: 'services:\n  db:\n    image: postgres:16-alpine\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n',
      notes: 'Declarations in the other files of the same compose project count, and so do those of included files and ' +
        'of the files that include this one or extend its services (a base fragment is judged where it is used). A file that ' +
        'names no project and cannot run alone (not `compose.yaml` or `docker-compose.yml`, say `overrides/compose.redis.yaml`) ' +
        'is combined with others through `-f`: the volumes its folder\'s other compose files and the default compose files of ' +
        'the folders above declare count too. The fix adds the name to the ' +
        'top-level `volumes:` mapping (creating it at the end of the file when there is none).',
    },
  },
  check(ctx) {
    const declared = new Set(declaredVolumes(ctx.parsed).keys());
    for (const other of projectSiblings(ctx.facts.compose)) for (const n of declaredVolumes(other).keys()) declared.add(n);
    // a fragment reached through include or extends is judged with what its users declare
    for (const n of declaredInProjects(ctx.facts.compose)) declared.add(n);
    // a file that cannot run alone is combined with others (`-f compose.yaml -f overrides/x.yaml`): what those declare counts
    for (const n of ctx.facts.compose?.companionVolumes ?? []) declared.add(n);
    const doc = ctx.parsed.documents[0];
    const root = doc ? deref(doc, doc.contents) : undefined;
    const volPair = isMap(root) ? root.items.find((p) => keyName(p) === 'volumes') : undefined;
    const volMap = volPair && doc ? deref(doc, volPair.value) : undefined;
    const reported = new Set<string>();
    for (const use of volumeUses(ctx.parsed)) {
      if (declared.has(use.name)) continue;
      let edit: TextEdit | undefined;
      if (!reported.has(use.name)) {
        // one fix per name: several mounts of the same volume need one declaration
        if (isMap(volMap) && volMap.items.length) edit = appendToMap(ctx.parsed, volMap, [`${use.name}:`]);
        else if (!volPair && isMap(root)) edit = appendToMap(ctx.parsed, root, ['volumes:', `  ${use.name}:`]);
      }
      reported.add(use.name);
      ctx.report({
        range: use.node ? ctx.parsed.range(use.node as Node) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Service \`${use.service}\` mounts the named volume \`${use.name}\`, which the top-level \`volumes:\` does not declare.`,
        fixes: edit ? [fix(`Declare volume ${use.name}`, 'safe', edit)] : [],
      });
    }
  },
};

export default rule;
