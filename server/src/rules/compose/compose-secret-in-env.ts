// compose-secret-in-env: a literal value for a secret-looking variable in a service's `environment:`.

import { isMap, isSeq, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import { nodeOf } from '../composeRuleHelpers';
import { envEntries } from '../../model/composeValues';
import { pairIn } from '../../parse/compose';
import { isPlaceholderValue, isSecretName, isSecretValue } from '../secrets';
import { localStackReason } from '../composeRuleHelpers';

/** Formats of issued credentials (cloud keys, forge and chat tokens): a leak wherever the file is meant to run. */
const ISSUED_TOKEN = /^(AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|sk-[A-Za-z0-9_-]{20,}|xox[abposr]-[\w-]{10,}|AIza[\w-]{35})$/;

/** Modes some `*_AUTH` settings take (Keycloak's `KC_HTTPS_CLIENT_AUTH: request`): values, not credentials. */
const AUTH_MODE = /^(none|request|requested|required?|optional|want|need|basic|digest|bearer|oauth2?|oidc|ldap|saml|internal)$/i;


/** Passwords every example uses, which stand in for the one the user sets: no secret of anyone's. */
const WELL_KNOWN_DEFAULT = /^(pass|passwd|password|passw0rd|pwd|secret|supersecret|mysecret|mysecretpassword|mypassword|admin|root|test|testpass|testpassword|test123|pass123|password123|admin123|example|default|demo|dev|changeit|qwerty|letmein|123456|12345678|postgres|mysql|toor)$/i;

/**
 * A value that stands in for the real one: a template word (`changeme`, `<token>`, `your-password-here`,
 * `replace-me-with-a-random-string`), an instruction written as a sentence, or a well-known default password.
 */
export function placeholderSecret(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '').trim();
  if (isPlaceholderValue(v) || WELL_KNOWN_DEFAULT.test(v)) return true;
  if (/\b(change|replace|update)[-_ ]?(me|this|it)\b|^your[-_ ]|[-_ ]here$|^(todo|fixme|tbd)\b/i.test(v)) return true;
  // a sentence telling the user what to put there (not a passphrase: it speaks to the reader)
  return v.split(/\s+/).length >= 4 && /\b(your|here|random|generate[ds]?|enter|insert|type|put|unique|replace|change)\b/i.test(v);
}

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
        '(`KC_HTTPS_CLIENT_AUTH: request`) is not a secret.\n\n' +
        'Example, quickstart, demo and contributed stacks count as local too: a folder from the compose file up to the ' +
        'repository root (the repository\'s own name included) named `examples`, `samples`, `demo`, `quickstarts`, ' +
        '`contrib`, `sandbox`, `tutorial` or similar, or `dev`/`local` below the root. A value that only stands in for ' +
        'the real one is info everywhere: a template word (`changeme`, `<token>`, `your-password-here`, ' +
        '`replace-me-with-a-random-string`), an instruction written as a sentence, or a password every example uses ' +
        '(`password`, `secret`, `admin`, `testpass`, `postgres`). The finding then asks to require the value from the environment.',
    },
  },
  check(ctx) {
    const localReason = localStackReason(ctx.file, ctx.parsed, ctx.facts.compose?.root);
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
        const issued = ISSUED_TOKEN.test(value.trim());
        const local = localReason !== undefined && !issued;
        const placeholder = !local && !issued && placeholderSecret(value);
        ctx.report({
          range,
          ...(local || placeholder ? { severity: 'info' as const } : {}),
          message: placeholder
            ? `Service \`${svc.name}\` sets \`${name}\` to a placeholder or well-known default (${maskValue(value)}), which stands in for a value each deployment sets; ` +
              `require it from the environment instead (\`\${${name}:?set ${name}}\`) so the stack cannot start with the default.`
            : `Service \`${svc.name}\` sets \`${name}\` to a literal value (${maskValue(value)}); ` + (local
              ? `this looks like a local development, test or example stack (${localReason}), so keep the value out of any deployment.`
              : 'reference a variable from an untracked .env file or use Compose secrets.'),
        });
      });
    }
  },
};

export default rule;
