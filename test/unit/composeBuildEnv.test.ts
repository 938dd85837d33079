// A service's `build:` read with the same variables by every consumer: the rules' facts, the editor's links and
// file watchers, and the budgets' workspace model all take them from the folder's `.env` (the shell's environment
// over it for the CLI), so a context or Dockerfile named through a variable is found by each of them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseCompose } from '../../server/src/parse/compose';
import { builtDockerfiles } from '../../server/src/features/composeLinks';
import { composeDependencies } from '../../server/src/features/watchedFiles';
import { loadWorkspace } from '../../server/src/docker/workspace';
import { composeFacts } from '../../server/src/facts/composeFacts';
import { nodeHost } from '../../server/src/core/fileHost';
import { tmpProject } from '../helpers';

describe('build variables from .env', () => {
  it('give the rules, the links, the watchers and the budgets the same context and Dockerfile', async () => {
    const text = 'services:\n  api:\n    build: { context: "${CTX}", dockerfile: "${DF}" }\n    env_file: ["${ENV_DIR}/api.env"]\n';
    const ws = tmpProject({ '.env': 'CTX=web\nDF=docker/Dockerfile\nENV_DIR=conf\n', 'compose.yaml': text, 'web/docker/Dockerfile': 'FROM alpine:3.20\n' });
    const file = path.join(ws, 'compose.yaml');
    const parsed = parseCompose(text);
    const context = path.join(ws, 'web');
    const dockerfile = path.join(context, 'docker', 'Dockerfile');
    // the lint reads the folder's .env first; the editor asks for links and watched files afterwards
    const facts = await composeFacts(nodeHost, file, parsed, { rules: {}, allowRoot: [], enableAll: false, sources: [] }, []);
    assert.deepEqual([facts.builds.get('api')?.context, facts.builds.get('api')?.dockerfile, facts.builds.get('api')?.dockerfileExists], [context, dockerfile, true]);
    assert.deepEqual(builtDockerfiles(file, parsed), [dockerfile]);
    assert.deepEqual([...composeDependencies(file, parsed)].sort(), [path.join(ws, '.env'), path.join(ws, 'conf', 'api.env'), context, dockerfile].sort());
    const model = await loadWorkspace(ws, nodeHost, {});
    assert.deepEqual(model.services.map((s) => [s.service, s.context, s.dockerfile]), [['api', context, dockerfile]]);
    // the shell's environment wins over .env, as in Compose
    const shell = await loadWorkspace(ws, nodeHost, { CTX: 'other' });
    assert.deepEqual(shell.services.map((s) => s.context), [path.join(ws, 'other')]);
  });
});
