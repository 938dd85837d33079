// healthcheck-options: a HEALTHCHECK should state its timing explicitly, and its timeout must be shorter
// than its interval, or a hung probe overlaps the next one.

import type { DockerfileRule } from '../context';
import { fix, insertAt } from '../../model/dockerfile/wordsAndEdits';
import { HEALTHCHECK_DEFAULTS, healthcheckProbe, parseDuration } from '../../model/dockerfile/stages';

const OPTIONS = ['interval', 'timeout', 'start-period', 'retries'] as const;

/** A millisecond count as a Docker duration (`2s`, `1500ms`). */
function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

const rule: DockerfileRule = {
  meta: {
    id: 'healthcheck-options',
    language: 'dockerfile',
    category: 'health',
    title: 'Give HEALTHCHECK explicit timing options',
    severity: 'info',
    fix: 'safe',
    docs: {
      rationale:
        'Docker\'s HEALTHCHECK defaults are a 30 second interval, a 30 second timeout, no start period and 3 retries. ' +
        'A timeout as long as the interval lets a hung probe run into the next one, and without a start period a slow ' +
        'starting service counts failed probes while it boots. Writing the four options down makes the behaviour ' +
        'visible and reviewable.',
      invalid: 'FROM nginx:1.27\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\n',
      valid: 'FROM nginx:1.27\nHEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n    CMD curl -fsS http://localhost/ || exit 1\n',
      notes:
        'Durations use Docker\'s syntax (`500ms`, `10s`, `1m30s`). The fix inserts the missing options right after ' +
        '`HEALTHCHECK` with `--interval=30s --timeout=5s --start-period=30s --retries=3`; when the interval is 5s or ' +
        'less, the added timeout is half the interval. A timeout that is not below the interval is reported ' +
        'separately and has no fix: only you know which of the two is wrong. `HEALTHCHECK NONE` is not checked.',
    },
  },
  check(ctx) {
    const p = ctx.parsed;
    for (const instr of p.instructions) {
      if (instr.keyword !== 'HEALTHCHECK') continue;
      const probe = healthcheckProbe(p, instr);
      // NONE disables the check; without CMD the instruction is a syntax error reported elsewhere
      if (probe.none || (!probe.exec && !probe.shell)) continue;
      const missing = OPTIONS.filter((o) => !instr.flag(o));
      const intervalFlag = instr.flag('interval');
      const interval = intervalFlag?.value ? parseDuration(intervalFlag.value) : undefined;
      if (missing.length > 0) {
        const added = missing.map((o) => {
          let v: string = HEALTHCHECK_DEFAULTS[o];
          if (o === 'timeout' && interval !== undefined && interval <= 5000 && interval > 0) v = formatMs(interval / 2);
          return `--${o}=${v}`;
        });
        ctx.report({
          range: instr.keywordRange,
          message: `HEALTHCHECK leaves ${missing.map((o) => `--${o}`).join(', ')} at Docker's defaults; set ${missing.length > 1 ? 'them' : 'it'} explicitly.`,
          fixes: [fix(`Add ${added.join(' ')}`, 'safe', insertAt(p, p.index.offsetAt(instr.keywordRange.end), ` ${added.join(' ')}`))],
        });
      }
      const timeoutFlag = instr.flag('timeout');
      const timeout = timeoutFlag?.value ? parseDuration(timeoutFlag.value) : undefined;
      // without --interval Docker probes every 30s, so a longer timeout is wrong there too
      const effective = intervalFlag ? interval : 30_000;
      // a zero duration means "Docker's default", not zero
      if (timeoutFlag && timeout && effective && timeout >= effective) {
        ctx.report({
          range: timeoutFlag.range,
          message: `The HEALTHCHECK timeout (${timeoutFlag.value}) is not below its interval (${intervalFlag?.value ?? '30s by default'}); make the timeout shorter than the interval.`,
        });
      }
    }
  },
};

export default rule;
