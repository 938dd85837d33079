// image-secret-env: no secret-looking value is baked into the image environment; values are masked in messages.

import type { ImageRule } from '../context';
import { lastStep, rangeOf } from '../../model/imageSubject';
import { isPlaceholderValue, isSecretName, isSecretValue, maskSecret } from '../secrets';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const rule: ImageRule = {
  meta: {
    id: 'image-secret-env',
    language: 'image',
    category: 'security',
    title: 'Keep secret values out of the image environment',
    severity: 'error',
    errorReason: 'A secret value is stored in the image configuration, readable by anyone who pulls the image.',
    fix: 'none',
    docs: {
      rationale:
        'Environment values set at build time are stored in the image config: anyone who can pull the image reads them ' +
        'with `docker inspect`, and every container started from it inherits them. Secrets belong in run-time ' +
        'configuration or mounted secret files. This check reads the `Env` of the built image, so values inherited ' +
        'from a base image or set through build arguments are caught too.',
      invalid: 'FROM debian:bookworm-slim\nENV DATABASE_PASSWORD=s3cr3t-Passw0rd\nUSER 10001\nCMD ["sleep", "infinity"]\n',
      valid: 'FROM debian:bookworm-slim\nENV DATABASE_PASSWORD_FILE=/run/secrets/db_password\nUSER 10001\nCMD ["sleep", "infinity"]\n',
      notes:
        'A variable counts as secret by its name (password, token, secret, API key and similar words); names that point ' +
        'at a secret file (`*_FILE`), URLs without credentials and switches do not. Empty values and obvious ' +
        'placeholders (`changeme`, `<token>`, `example`, `***`) are not reported. Messages show only the first ' +
        'characters of a value. The finding points at the last ENV of the build that sets the variable, when known.',
    },
  },
  check(ctx) {
    for (const kv of ctx.parsed.config.Env ?? []) {
      const eq = kv.indexOf('=');
      const key = eq < 0 ? kv : kv.slice(0, eq);
      const value = eq < 0 ? '' : kv.slice(eq + 1);
      if (!isSecretName(key) || !isSecretValue(value) || isPlaceholderValue(value)) continue;
      const setsKey = new RegExp(`(^|\\s)${escapeRe(key)}(=|\\s)`);
      const envInstr = lastStep(ctx.parsed, (i) => i.keyword === 'ENV' && setsKey.test(i.argsText));
      ctx.report({
        range: rangeOf(envInstr),
        message: `The image environment holds a value for ${key} (${maskSecret(value)}); pass it at run time or mount it as a secret instead of baking it in.`,
      });
    }
  },
};

export default rule;
