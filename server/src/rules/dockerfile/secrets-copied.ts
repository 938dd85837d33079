// secrets-copied: COPY/ADD of .env files, private keys and credential files bakes them into a layer.

import type { DockerfileRule } from '../context';
import { copyInstructions } from '../../model/dockerfile/copySources';
import { KEY_FILE_REASONS, credentialInText, secretFileReason, secretGlobReason } from '../secrets';

const PUBLIC_KEY_DEST = /\.(pub|asc|gpg)$|\/keyrings(\/|$)|\/trusted\.gpg\.d(\/|$)/i;
const KEY_REASONS = new Set(['a private key', 'a PEM key file']);

const rule: DockerfileRule = {
  meta: {
    id: 'secrets-copied',
    language: 'dockerfile',
    category: 'security',
    title: 'Do not copy secret files into the image',
    severity: 'error',
    errorReason: 'A private key, or a credentials file whose content holds a credential, ships in the image layer for anyone who pulls it; files whose content is unknown are warnings.',
    fix: 'none',
    docs: {
      rationale:
        'A file copied into a layer stays in the image even if a later `RUN rm` deletes it: every layer is shipped and ' +
        'can be unpacked by anyone who pulls the image. Environment files, private keys and registry credentials ' +
        '(`.npmrc`, `.pypirc`, `.netrc`) belong in a secret mount for the one step that needs them ' +
        '(`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`) or in the runtime environment, and in ' +
        '`.dockerignore` so they never reach the builder.',
      invalid: 'FROM node:22-slim\nWORKDIR /app\nCOPY .env .npmrc ./\nCOPY certs/server.key /etc/ssl/private/\n',
      valid: 'FROM node:22-slim\nWORKDIR /app\nCOPY .env.example package.json ./\nCOPY certs/ca.pem /usr/local/share/ca-certificates/\n',
      notes:
        'Checked sources (by file name, in any folder): `.env`, `.env.*` and `.envrc` except `.env.example`, ' +
        '`.env.sample`, `.env.template`, `.env.dist` and `.env.defaults`; `id_rsa`, `id_dsa`, `id_ecdsa`, `id_ed25519` ' +
        '(not their `.pub` halves) and a whole `.ssh` folder; `*.key`, `*.p12`, `*.pfx`; `*.pem` unless the name says ' +
        'it holds certificates or Diffie-Hellman parameters (`ca.pem`, `cert.pem`, `fullchain.pem`, `*-bundle.pem`, `ffdhe4096.pem`); `.npmrc`, `.pypirc`, `.netrc`, ' +
        '`.git-credentials`, `credentials`, `credentials.json` (so `.aws/credentials` too) and `.docker/config.json`.\n\n' +
        'Wildcard sources fire when they obviously match one of these, such as `.env*` or `*.pem`; `*.json` or `*` ' +
        'do not (a `.dockerignore` is the place to keep secrets out of broad copies, see `dockerignore-missing`).\n\n' +
        'A `*.key` or `*.pem` file copied to a public-key name (`*.pub`, `*.asc`, `*.gpg`) or into a keyring folder ' +
        '(`/usr/share/keyrings/`, `/etc/apt/trusted.gpg.d/`) is taken to be a public signing key and not reported.\n\n' +
        'Only sources are checked, never the destination. `COPY --from=<stage>` is skipped: it copies from an ' +
        'image that is already built, and the COPY that put a secret there is reported in its own stage. URLs and ' +
        'git sources of ADD are skipped too.\n\n' +
        'When the file is in the build context its content decides: an environment or credentials file is reported ' +
        '(as an error) only when it holds a literal credential, such as `_authToken=…` or `//registry…/:_password=…` ' +
        'in `.npmrc`, `password =` in `.pypirc`/`.netrc`, `"auth": "…"` in `.docker/config.json`, a URL with a ' +
        'password, a private key block, or a secret-named variable with a literal value in a `.env` file. A reference ' +
        'such as `_authToken=${NPM_TOKEN}` is not a credential. A key file is also reported when it holds binary key ' +
        'material, and not when its text holds no private key. When the content is unknown (a wildcard source, a ' +
        'file outside the context, an unsaved Dockerfile), keys stay errors and other files are warnings.',
    },
  },
  check(ctx) {
    const texts = ctx.facts.contextFiles;
    for (const { instr, sources, dest } of copyInstructions(ctx.parsed)) {
      // a key copied to a `.pub`/`.asc`/`.gpg` name or into a keyring is a public signing key
      const publicKeyDest = dest !== undefined && PUBLIC_KEY_DEST.test(dest);
      for (const src of sources) {
        if (src.kind !== 'context' || src.variable) continue;
        const reason = src.glob ? secretGlobReason(src.value) : secretFileReason(src.value);
        if (!reason) continue;
        const isKey = KEY_FILE_REASONS.has(reason);
        if (publicKeyDest && KEY_REASONS.has(reason)) continue;
        const what = src.glob ? `\`${src.value}\` matches ${reason}` : `\`${src.value}\` is ${reason}`;
        const text = src.glob ? undefined : texts?.get(src.value);
        const advice = 'use a secret mount (`RUN --mount=type=secret`) or runtime configuration instead.';
        if (text !== undefined) {
          // the file is in the context: its content decides (binary key stores count as keys)
          const found = credentialInText(text) ?? (isKey && text.includes('\0') ? 'binary key material' : undefined);
          if (!found) continue;
          ctx.report({ range: src.range, message: `${instr.keyword} ${what}${isKey ? '' : ` that holds ${found}`}, which stays in the image layer; ${advice}` });
          continue;
        }
        // content unknown: private keys are secret by name; a config or environment file may hold no credential
        ctx.report({
          range: src.range,
          severity: isKey ? undefined : 'warning',
          message: isKey
            ? `${instr.keyword} ${what}, which stays in the image layer; ${advice}`
            : `${instr.keyword} ${what}, which stays in the image layer if it holds credentials (its content is unknown here); ${advice}`,
        });
      }
    }
  },
};

export default rule;
