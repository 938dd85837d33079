// compose-healthcheck-options: health checks with missing or invalid durations, a timeout not below the interval,
// or no start_period for a database.

import { isMap, type Node } from 'yaml';
import type { ComposeRule } from '../context';
import { appendToMap } from '../composeEdits';
import { composeHealthcheck, isOverlay, keyRange, knownImage, nodeOf } from '../composeRuleHelpers';
import { interpolate } from '../../model/composeValues';
import { pairIn } from '../../parse/compose';
import { parseDuration } from '../../model/dockerfile/stages';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const DURATIONS = ['interval', 'timeout', 'start_period', 'start_interval'];

/** A duration in ms; null when it uses a variable without default; undefined when invalid. */
function duration(v: unknown): number | null | undefined {
  if (typeof v === 'number') return undefined; // a bare number has no unit, which Compose rejects
  if (typeof v !== 'string') return undefined;
  const r = interpolate(v);
  if (r.unknown) return null;
  return parseDuration(r.value);
}

function format(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

const rule: ComposeRule = {
  meta: {
    id: 'compose-healthcheck-options',
    language: 'compose',
    category: 'health',
    title: 'Give health checks explicit, consistent timings',
    severity: 'info',
    fix: 'safe',
    docs: {
      rationale:
        'Compose\'s defaults (30s interval, 30s timeout) make a failing service take minutes to be marked unhealthy, ' +
        'and a timeout as long as the interval means a hanging probe is only noticed after a full extra cycle. A database also needs a `start_period` so its ' +
        'first slow start is not counted as failures. Writing the timings down makes the behaviour visible.',
      invalid: 'services:\n  api:\n    image: example/api:2.1\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]\n      interval: 5s\n      timeout: 10s\n',
      valid: 'services:\n  api:\n    image: example/api:2.1\n    healthcheck:\n      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]\n      interval: 30s\n      timeout: 5s\n      retries: 3\n',
      notes: '`interval` and `timeout` must be set; `start_period` too for known databases and caches. Durations use ' +
        'Compose\'s Go syntax (`1m30s`, `500ms`). A service in an override file that adjusts a base service is only ' +
        'checked for what it writes. The fix adds the missing keys (interval 30s, a timeout below the interval, ' +
        'the database\'s usual start period).',
    },
  },
  check(ctx) {
    for (const svc of ctx.parsed.services) {
      const hc = svc.value.healthcheck;
      if (!hc || typeof hc !== 'object' || composeHealthcheck(hc) === 'off') continue;
      const h = hc as Record<string, unknown>;
      const map = nodeOf(svc, 'healthcheck');
      const nodeFor = (k: string) => (isMap(map) ? (pairIn(svc.doc, map, k)?.value as Node | undefined) : undefined);
      const ms: Record<string, number | null | undefined> = {};
      for (const k of DURATIONS) {
        if (h[k] === undefined) continue;
        ms[k] = duration(h[k]);
        if (ms[k] === undefined) {
          const n = nodeFor(k);
          ctx.report({ range: n ? ctx.parsed.range(n) : keyRange(ctx, svc, 'healthcheck'), message: `Service \`${svc.name}\`: \`${k}: ${String(h[k])}\` is not a duration; write it like \`30s\` or \`1m30s\`.` });
        }
      }
      const interval = ms.interval, timeout = ms.timeout;
      if (typeof interval === 'number' && typeof timeout === 'number' && timeout >= interval) {
        const n = nodeFor('timeout');
        ctx.report({ range: n ? ctx.parsed.range(n) : keyRange(ctx, svc, 'healthcheck'), message: `Service \`${svc.name}\`: the health check timeout (${String(h.timeout)}) is not below its interval (${String(h.interval)}), so one slow probe can use up the time between checks; keep the timeout shorter than the interval.` });
      }
      if (isOverlay(ctx, svc)) continue;
      const known = knownImage(svc);
      const missing = ['interval', 'timeout', ...(known ? ['start_period'] : [])].filter((k) => h[k] === undefined);
      if (missing.length === 0) continue;
      const iv = typeof interval === 'number' && interval > 0 ? interval : 30_000;
      const defaults: Record<string, string> = {
        interval: format(iv),
        timeout: format(Math.min(5000, iv >= 2000 ? Math.floor(iv / 2000) * 1000 : Math.floor(iv / 2))),
        start_period: known?.startPeriod ?? '30s',
      };
      const edit = isMap(map) ? appendToMap(ctx.parsed, map, missing.map((k) => `${k}: ${defaults[k]}`)) : undefined;
      ctx.report({
        range: keyRange(ctx, svc, 'healthcheck'),
        message: `Service \`${svc.name}\`: the health check does not set ${missing.map((k) => `\`${k}\``).join(', ')}${known ? ` (${known.kind} needs a start period)` : ''}; set them explicitly.`,
        fixes: edit ? [fix(`Add ${missing.join(', ')}`, 'safe', edit)] : [],
      });
    }
  },
};

export default rule;
