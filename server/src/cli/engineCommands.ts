// Entry of the engine-facing subcommands `hullcheck image` and `hullcheck budgets`: their own options, usage
// and errors, dispatched from cli.ts before the lint options are parsed.

import { parseArgs } from 'node:util';
import { budgetsCommand } from './budgets';
import { imageCommand, ImageUsageError } from './image';

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export const DOCKER_USAGE = `Usage:
  hullcheck image [options] REF...   Check built images: OCI version label, non-root user, secrets in Env and
                                     files, HEALTHCHECK, size budget
  hullcheck budgets [options]        Compare every budgeted image of this workspace with its budget

Options for image:
  --budget SIZE              Budget for every REF (600MB, 1.2GB; 1 MB = 1,048,576 bytes), over the workspace's
                             budgets
  --format text|json|sarif   Output format (default: text)
  --fail-level LEVEL         error|warning|info|none: exit 1 when a finding is at or above it (default: warning);
                             exit 2 on a usage error or a missing image, 3 when a check could not run

Options for budgets:
  --format text|json         Output format (default: text); exit 1 when an image is over budget
  --record                   Write every budgeted image's size, and the bytes of each build step, to
                             .hullcheck-sizes.json
  --against FILE|REF         Compare each budgeted image with its size in a recorded file (or with an earlier
                             image in the engine, when one budgeted image is built), and list the build steps
                             (Dockerfile instructions) whose bytes changed; exit 1 when an image grew past
                             \`budgets: { growth: 5% }\` (a percentage or a size such as 20MB)

Both:
  --host HOST                Docker host (default: DOCKER_HOST, then the current docker context)
  -h, --help                 Show this help

Budgets come from \`budgets:\` in .hullcheck.yaml (service name or image glob: SIZE) and from
\`x-hullcheck: { budget: SIZE }\` on compose services.
`;

export async function dockerMain(argv: string[], out: Out, version: string): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        'fail-level': { type: 'string' },
        budget: { type: 'string' },
        host: { type: 'string' },
        record: { type: 'boolean' },
        against: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    out.stderr(`hullcheck: ${(e as Error).message}\n\n${DOCKER_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) { out.stdout(DOCKER_USAGE); return 0; }
  try {
    if (command === 'budgets') {
      if (positionals.length) throw new ImageUsageError('budgets takes no arguments; run it in the workspace folder');
      if (values.budget !== undefined || values['fail-level'] !== undefined) throw new ImageUsageError('--budget and --fail-level apply to image only');
    } else if (values.record !== undefined || values.against !== undefined) {
      throw new ImageUsageError('--record and --against apply to budgets only');
    }
    if (command === 'budgets') {
      return await budgetsCommand(values, out);
    }
    return await imageCommand(positionals, values, out, version);
  } catch (e) {
    if (e instanceof ImageUsageError) { out.stderr(`hullcheck: ${e.message}\n\n${DOCKER_USAGE}`); return 2; }
    out.stderr(`hullcheck: ${(e as Error).message}\n`);
    return 2;
  }
}
