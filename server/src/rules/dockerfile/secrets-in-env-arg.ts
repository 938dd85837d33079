// secrets-in-env-arg: ENV and ARG values persist in the image and its history, so they must not carry secrets.

import type { DockerfileRule } from '../context';
import type { Range } from '../../core/findings';
import type { Instr } from '../../parse/dockerfile';
import { isAbsentValue, isLiteralValue, isSecretName, isSecretValue } from '../secrets';

interface Prop { getName(): string; getNameRange(): Range; getValue(): string | null }

function properties(instr: Instr): Prop[] {
  const node = instr.node as unknown as { getProperties?: () => Prop[] };
  return typeof node.getProperties === 'function' ? node.getProperties() : [];
}

const rule: DockerfileRule = {
  meta: {
    id: 'secrets-in-env-arg',
    language: 'dockerfile',
    category: 'security',
    title: 'Do not pass secrets through ENV or ARG',
    severity: 'warning',
    errorReason: 'An ENV or ARG with a literal value for a secret-named variable ships that value in the image config or history; a name with no literal value is a warning.',
    fix: 'none',
    hadolint: ['DL3064'],
    buildkit: ['SecretsUsedInArgOrEnv'],
    docs: {
      rationale:
        'Everything set with `ENV` is stored in the image config, and `ARG` values end up in the build history ' +
        '(`docker history`, provenance attestations) of every layer that uses them. Anyone who can pull the image can ' +
        'read them. Pass secrets to the one `RUN` that needs them with a secret mount instead: ' +
        '`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`, built with `--secret id=npm_token,env=NPM_TOKEN`.',
      invalid: 'FROM node:22-slim\nARG NPM_TOKEN\nENV API_KEY=sk-live-123\n',
      valid:
        '# syntax=docker/dockerfile:1\nFROM node:22-slim\nENV DB_PASSWORD_FILE=/run/secrets/db_password\n' +
        'RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n',
      notes:
        'Severity depends on what is written: a literal value (`ENV API_KEY=abc`) is an **error**, because the secret ' +
        'is in the Dockerfile itself; a name alone (`ARG NPM_TOKEN`), a value that is only a variable reference ' +
        '(`ENV TOKEN=${TOKEN}`) or a sentinel that says no value is set (`**None**`, `<token>`) is a **warning**, because the secret arrives at build time but still persists. A ' +
        'severity set in `.hullcheck.yaml` replaces both. Messages show the variable name, never its value.\n\n' +
        'A name looks secret when one of its parts (split on `_`, `-`, `.` and camelCase) is PASSWORD, PASSWD, PWORD, ' +
        'PASSPHRASE, SECRET, TOKEN, APIKEY, CREDENTIAL(S) or AUTH, or when KEY follows API, PRIVATE, ACCESS, SECRET, ' +
        'SIGNING, ENCRYPTION, MASTER, SSH, CLIENT, LICENSE, AUTH or SESSION, or ends the name (`STRIPE_KEY`) after ' +
        'anything but GPG, PGP, PUBLIC, CACHE, SORT, PARTITION and similar.\n\n' +
        'Names that describe a secret rather than hold it are allowed: a part such as FILE, PATH, DIR, URL, URI, ' +
        'ENDPOINT, HOST, PORT, VERSION, PUBLIC, NAME, ENABLED, MODE, TYPE, PROVIDER, TTL or TIMEOUT ' +
        '(`POSTGRES_PASSWORD_FILE`, `TOKEN_URL`, `AUTH_ENABLED`, `NEXT_PUBLIC_API_KEY`).\n\n' +
        'An ENV that names a secret but holds an empty value or a placeholder (`ENV API_TOKEN=`, `ENV PASSWORD=**None**`) ' +
        'only declares a runtime setting; outside hadolint mode that is info.\n\n' +
        'Differences from BuildKit\'s SecretsUsedInArgOrEnv: BuildKit flags every `KEY` part, so `ENV GPG_KEY=<fingerprint>` ' +
        'in official images fires there and not here; BuildKit only allows PUBLIC, FILE and VERSION, so `TOKEN_URL` fires ' +
        'there and not here.',
    },
  },
  check(ctx) {
    // a configured severity replaces the literal/name-only split
    const setting = ctx.config.rules[rule.meta.id]?.severity;
    const configured = setting !== undefined && setting !== 'off';
    for (const outer of ctx.parsed.instructions) {
      const instr = outer.keyword === 'ONBUILD' ? outer.onbuild : outer;
      if (!instr || (instr.keyword !== 'ENV' && instr.keyword !== 'ARG')) continue;
      for (const prop of properties(instr)) {
        const name = prop.getName();
        if (!isSecretName(name)) continue;
        // `ENV AUTH_ENABLED=true`-like switches and `/run/secrets/…` paths are not secret values
        if (isLiteralValue(prop.getValue()) && !isSecretValue(prop.getValue())) continue;
        // a sentinel (`**None**`, `<token>`) holds no secret; the real one still arrives and persists
        const literal = isLiteralValue(prop.getValue()) && !isAbsentValue(prop.getValue()!);
        // `ENV TOKEN=` or `ENV TOKEN=**None**` only declares a runtime setting: the image holds no secret, the real
        // value arrives with `docker run -e` and never enters a layer (unlike an ARG, whose build-time value does)
        const value = (prop.getValue() ?? '').trim().replace(/^["']|["']$/g, '');
        if (instr.keyword === 'ENV' && !literal && !/\$/.test(value) && ctx.options.hadolintCompat !== true) {
          ctx.report({
            range: prop.getNameRange(),
            message: `ENV \`${name}\` names a secret but holds none here (${value ? 'a placeholder' : 'an empty value'}); pass the real value at run time, never with a build argument.`,
            severity: configured ? undefined : 'info',
          });
          continue;
        }
        const message = literal
          ? `${instr.keyword} \`${name}\` sets a secret value in the Dockerfile, where the image and its history keep it; remove it and pass the secret with \`RUN --mount=type=secret\`.`
          : `${instr.keyword} \`${name}\` looks like a secret, and ${instr.keyword} values persist in the image${instr.keyword === 'ARG' ? ' history' : ''}; pass it with \`RUN --mount=type=secret\` instead.`;
        ctx.report({
          range: prop.getNameRange(),
          message,
          severity: configured ? undefined : literal ? 'error' : 'warning',
        });
      }
    }
  },
};

export default rule;
