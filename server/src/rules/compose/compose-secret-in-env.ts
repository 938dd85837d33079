// compose-secret-in-env: a literal value for a secret-looking variable in a service's `environment:`.

import { isMap, isSeq, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import { nodeOf } from '../composeRuleHelpers';
import { envEntries } from '../../model/composeValues';
import { pairIn } from '../../parse/compose';
import { isSecretName, isSecretValue } from '../secrets';
import { localStackReason } from '../composeRuleHelpers';

/** Formats of issued credentials (cloud keys, forge and chat tokens): a leak wherever the file is meant to run. */
const ISSUED_TOKEN = /^(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|sk-[A-Za-z0-9_-]{20,}|xox[abposr]-[\w-]{10,}|AIza[\w-]{35})$/;

/** Modes some `*_AUTH` settings take (Keycloak's `KC_HTTPS_CLIENT_AUTH: request`): values, not credentials. */
const AUTH_MODE = /^(none|request|requested|required?|optional|want|need|basic|digest|bearer|oauth2?|oidc|ldap|saml|internal)$/i;


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
        'The message never shows the value, only its first two characters for long values.\n\n' +
        'In a local development, test or example stack the finding is info: the compose file sits in a `.devcontainer`, ' +
        '`tests`, `e2e`, `examples` or similar folder, its name says `dev`, `test`, `e2e`, `ci`, `local` or `override`, or a ' +
        'service builds the project and bind-mounts its source folder (`- .:/app`). There `POSTGRES_PASSWORD: postgres` ' +
        'guards a throwaway database. A value in the format of an issued credential (an AWS access key id, a GitHub, ' +
        'GitLab, Slack, OpenAI or Google API token) stays a warning everywhere. A `*_AUTH` setting whose value is a mode ' +
        '(`KC_HTTPS_CLIENT_AUTH: request`) is not a secret.',
    },
  },
  check(ctx) {
    const localReason = localStackReason(ctx.file, ctx.parsed);
    for (const svc of ctx.parsed.services) {
      const env = svc.value.environment;
      const node = nodeOf(svc, 'environment');
      const entries = envEntries(env);
      entries.forEach(([name, value], i) => {
        if (!isSecretName(name) || value === undefined || !isSecretValue(value)) return;
        if (/_AUTH$/i.test(name) && AUTH_MODE.test(value.trim())) return;
        let at: Node | undefined;
        if (isSeq(node)) at = node.items[i] as Node;
        else if (isMap(node)) at = (pairIn(svc.doc, node, name)?.value as Node | undefined) ?? undefined;
        const range = at ? ctx.parsed.range(at) : svc.keyRange;
        // a password in a local stack only guards a throwaway database on a laptop; an issued token leaks anywhere
        const local = localReason !== undefined && !ISSUED_TOKEN.test(value.trim());
        ctx.report({
          range,
          ...(local ? { severity: 'info' as const } : {}),
          message: `Service \`${svc.name}\` sets \`${name}\` to a literal value (${maskValue(value)}); ` + (local
            ? `this looks like a local development, test or example stack (${localReason}), so keep the value out of any deployment.`
            : 'reference a variable from an untracked .env file or use Compose secrets.'),
        });
      });
    }
  },
};

export default rule;
