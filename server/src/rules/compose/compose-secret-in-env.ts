// compose-secret-in-env: a literal value for a secret-looking variable in a service's `environment:`.

import { isMap, isSeq, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import { nodeOf } from '../composeRuleHelpers';
import { envEntries } from '../../model/composeValues';
import { pairIn } from '../../parse/compose';
import { isSecretName, isSecretValue } from '../secrets';

/** Show at most the first two characters of a value, and only when enough stays hidden. */
export function maskValue(value: string): string {
  return value.length >= 8 ? `${value.slice(0, 2)}***` : '***';
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-secret-in-env',
    language: 'compose',
    category: 'security',
    title: 'Keep secret values out of compose environment blocks',
    severity: 'warning',
    fix: 'none',
    docs: {
      rationale:
        'A password or token written into `environment:` is committed with the compose file, shows up in ' +
        '`docker inspect` and in `docker compose config`, and is copied to every machine that has the repository. ' +
        'Reference a variable (`${DB_PASSWORD}`) set from an untracked `.env` file, or use Compose `secrets:`, ' +
        'which mounts the value as a file.',
      invalid: 'services:\n  api:\n    image: example/api:2.1\n    environment:\n      API_TOKEN: 9f8e7d6c5b4a3210\n',
      valid: 'services:\n  api:\n    image: example/api:2.1\n    environment:\n      API_TOKEN: ${API_TOKEN:?set API_TOKEN}\n',
      notes: 'Names are judged like the Dockerfile rule `secrets-in-env-arg` (PASSWORD, TOKEN, SECRET, API_KEY, …; ' +
        'names such as `PASSWORD_FILE` that point at a secret are fine, and so are names that configure the mechanism: ' +
        'a role, user, mode, policy or switch such as `GF_AUTH_ANONYMOUS_ORG_ROLE` or `LDAP_AUTH_ENABLED`). Values made ' +
        'only of variables are fine, and so are values that cannot be secrets: `true`/`false`-like switches, small ' +
        'numbers, `none` and absolute paths (`/run/secrets/db_password`). ' +
        'The message never shows the value, only its first two characters for long values.',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      const env = svc.value.environment;
      const node = nodeOf(svc, 'environment');
      const entries = envEntries(env);
      entries.forEach(([name, value], i) => {
        if (!isSecretName(name) || value === undefined || !isSecretValue(value)) return;
        let at: Node | undefined;
        if (isSeq(node)) at = node.items[i] as Node;
        else if (isMap(node)) at = (pairIn(svc.doc, node, name)?.value as Node | undefined) ?? undefined;
        const range = at ? ctx.parsed.range(at) : svc.keyRange;
        ctx.report({ range, message: `Service \`${svc.name}\` sets \`${name}\` to a literal value (${maskValue(value)}); reference a variable from an untracked .env file or use Compose secrets.` });
      });
    }
  },
};

export default rule;
