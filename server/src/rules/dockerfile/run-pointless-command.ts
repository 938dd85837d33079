// run-pointless-command: interactive or system-management tools do nothing useful in an image build.

import type { DockerfileRule } from '../context';
import { progOf } from '../../model/dockerfile/runScripts';
import { wordRange } from '../../model/dockerfile/wordsAndEdits';
import { programIndex } from '../../parse/shell';
import { modelOf } from '../../model/dockerfile/model';

const POINTLESS = new Set(['ssh', 'vim', 'vi', 'nano', 'shutdown', 'service', 'ps', 'free', 'top', 'htop', 'kill', 'mount', 'ifconfig']);

const rule: DockerfileRule = {
  meta: {
    id: 'run-pointless-command',
    language: 'dockerfile',
    category: 'correctness',
    title: 'Do not run interactive or system-management tools in RUN',
    severity: 'info',
    fix: 'none',
    hadolint: ['DL3001'],
    docs: {
      rationale:
        'A build step has no terminal, no init system and no long-lived processes. Editors (`vim`, `nano`), process ' +
        'tools (`ps`, `top`, `kill`, `free`), service managers (`service`, `shutdown`), `mount`, `ifconfig` and ' +
        '`ssh` either hang, fail or change nothing that ends up in the image.',
      invalid: 'FROM debian:bookworm-slim\nRUN service nginx start\n',
      valid: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-client && rm -rf /var/lib/apt/lists/*\n',
      notes: 'Installing such a tool is fine; only running it is reported.',
    },
  },
  check(ctx) {
    for (const { instr } of modelOf(ctx.parsed).posixRuns) {
      for (const cmd of instr.commands()) {
        const name = progOf(cmd);
        if (!POINTLESS.has(name)) continue;
        ctx.report({ range: wordRange(ctx.parsed, cmd.words[programIndex(cmd)]), message: `\`${name}\` has no useful effect during an image build; remove it from the RUN.` });
        break;
      }
    }
  },
};

export default rule;
