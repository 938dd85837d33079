// image-budget: a built image is no larger than its size budget (from .hullcheck.yaml, compose or --budget).

import type { ImageRule } from '../context';
import { rangeOf } from '../../model/imageSubject';
import { formatSize } from '../../core/size';

const rule: ImageRule = {
  meta: {
    id: 'image-budget',
    language: 'image',
    category: 'size',
    title: 'Keep the image within its size budget',
    severity: 'error',
    errorReason: 'The built image is measured above the size budget the project declared for it.',
    fix: 'none',
    docs: {
      rationale:
        'Image size is pull time on every deploy and every cold start, registry storage, and attack surface. A budget ' +
        'per image turns slow growth into a failed check at the commit that caused it, instead of a surprise months ' +
        'later. The Image Budgets view and `hullcheck budgets` show which layers and Dockerfile lines take the space.',
      invalid: 'FROM debian:bookworm-slim\nRUN head -c 300M /dev/zero > /opt/model.bin\nUSER 10001\nCMD ["sleep", "infinity"]\n',
      valid: 'FROM debian:bookworm-slim\n# the model is mounted at run time instead of baked in\nVOLUME /opt/models\nUSER 10001\nCMD ["sleep", "infinity"]\n',
      files: { '.hullcheck.yaml': 'budgets:\n  "myorg/app:*": 250MB\n' },
      notes:
        'Budgets are declared in `.hullcheck.yaml` under `budgets:`, keyed by compose service or image reference glob ' +
        '(`budgets: { api: 600MB, "myorg/*": 1.2GB }`), or on a compose service as `x-hullcheck: { budget: 600MB }`; ' +
        '`hullcheck image --budget SIZE` overrides them. The size compared is the image\'s layers unpacked: ' +
        '`docker inspect .Size` on the classic image store; on the containerd image store, where `.Size` is the ' +
        'compressed content size, the image manifest\'s unpacked size (its snapshots on disk). Sizes are binary: ' +
        '`600MB` is 600 × 1,048,576 bytes. An image with no budget is not reported. ' +
        'In the editor, the same check shows on the FROM of the Dockerfile the image was built from.',
    },
  },
  check(ctx) {
    const { budget, image } = ctx.parsed;
    if (budget === undefined || image.size <= budget) return;
    const pct = Math.round((image.size / budget) * 100);
    ctx.report({
      range: rangeOf(ctx.parsed.from),
      message: `The image is ${formatSize(image.size)}, ${pct}% of its ${formatSize(budget)} budget${image.mapping.budget && budget === image.mapping.budget.bytes ? ` (${image.mapping.budget.key})` : ''}; see the largest layers with \`hullcheck budgets\`.`,
    });
  },
};

export default rule;
