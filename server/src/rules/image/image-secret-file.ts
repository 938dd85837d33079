// image-secret-file: no `.env*` file, private key or credential file is stored in any layer of the image.

import type { ImageRule } from '../context';
import { rangeOf } from '../../model/imageSubject';
import { KEY_FILE_REASONS } from '../secrets';

const rule: ImageRule = {
  meta: {
    id: 'image-secret-file',
    language: 'image',
    category: 'security',
    title: 'Keep secret files out of every image layer',
    severity: 'error',
    errorReason: 'A private key file is stored in an image layer, readable by anyone who pulls the image; other secret-looking files are warnings, since only their name is judged.',
    fix: 'none',
    docs: {
      rationale:
        'A `.env` file, a private key or a cloud credential file copied into an image ships to everyone who can pull ' +
        'it. Deleting it in a later instruction does not help: the earlier layer still stores it and `docker save` ' +
        'extracts it. This check walks every layer of the built image, so files that a broad `COPY . .` picked up ' +
        'or that a build step wrote are found wherever they are.',
      invalid: 'FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . .\nUSER 10001\nCMD ["sh", "run.sh"]\n',
      valid: 'FROM debian:bookworm-slim\nWORKDIR /app\nCOPY run.sh .\nUSER 10001\nCMD ["sh", "run.sh"]\n',
      files: { '.env': 'DATABASE_PASSWORD=s3cr3t-Passw0rd\n', 'run.sh': 'exec sleep infinity\n' },
      notes:
        'Reported: `.env`, `.envrc` and `.env.*` files (templates such as `.env.example` are not), SSH private keys ' +
        '(`id_rsa`, `id_ed25519`, …), `*.key` files, `*.pem` files that are not certificates, PKCS#12 stores, and ' +
        'credential files (`.npmrc`, `.pypirc`, `.netrc`, `.git-credentials`, `credentials`, `credentials.json`, ' +
        '`.docker/config.json`), at any depth. A file that a later layer deletes or replaces is reported as still ' +
        'stored in the image. Exclude such files in `.dockerignore` and pass secrets ' +
        'with `RUN --mount=type=secret`. The check needs the image contents, which it streams from the engine with ' +
        'bounded memory; it points at the instruction that added the file when the history allows.',
    },
  },
  check(ctx) {
    const { save, image } = ctx.parsed;
    if (!save) return;
    // only the name is judged here: a private key is a secret by name, a config or environment file may hold none
    const setting = ctx.config.rules[rule.meta.id]?.severity;
    const configured = setting !== undefined && setting !== 'off';
    // history entries map to Dockerfile lines only when the engine's history and the saved config agree
    const historyMatches = image.layers.length === (save.config?.history?.length ?? -1);
    for (const f of save.secretFiles) {
      const hist = save.layers[f.layer]?.history;
      const instr = hist !== undefined && historyMatches ? image.layers[hist]?.instr : undefined;
      const state = f.hidden ? ' It is deleted or replaced by a later layer but still stored in the image.' : '';
      ctx.report({ range: rangeOf(instr), severity: configured || KEY_FILE_REASONS.has(f.reason) ? undefined : 'warning', message: `The image contains ${f.path}, ${f.reason}.${state} Exclude it in .dockerignore or use a build secret.` });
    }
  },
};

export default rule;
