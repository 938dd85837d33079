// compose-healthcheck-missing: a service others depend on, or a known database/cache, without any health check
// (neither in compose nor as a HEALTHCHECK in the Dockerfile it builds from).

import type { ComposeRule } from '../context';
import { appendToMap } from '../composeEdits';
import { composeHealthcheck, dependedOn, flowList, healthOf, isOverlay, judgedValues, knownImage, pairOf } from '../composeRuleHelpers';
import { fix } from '../../model/dockerfile/wordsAndEdits';

const rule: ComposeRule = {
  meta: {
    id: 'compose-healthcheck-missing',
    language: 'compose',
    category: 'health',
    title: 'Give databases and depended-on services a health check',
    severity: 'warning',
    fix: 'safe',
    docs: {
      rationale:
        'Compose only knows a container is *running*, not that it is *ready*. A database that is still replaying its ' +
        'log or a cache that has not opened its port makes dependent services crash at start-up. A health check lets ' +
        '`depends_on: { condition: service_healthy }` wait for real readiness and lets `docker compose ps` show it.',
      invalid: 'services:\n  db:\n    image: postgres:16-alpine\n  app:\n    image: example/app:1.0\n    depends_on:\n      - db\n',
      valid: 'services:\n  db:\n    image: postgres:16-alpine\n    healthcheck:\n      test: ["CMD-SHELL", "pg_isready -U postgres"]\n' +
        '      interval: 10s\n      timeout: 5s\n      retries: 5\n      start_period: 30s\n  app:\n    image: example/app:1.0\n' +
        '    depends_on:\n      db:\n        condition: service_healthy\n',
      notes: 'A HEALTHCHECK in the Dockerfile the service builds from counts (cross-file), and so does one in another ' +
        'file of the same compose project. A database or cache that no service of the project depends on (the ' +
        'application runs outside Compose) is info: only `docker compose up --wait` and `ps` would use the check. ' +
        '`healthcheck: { disable: true }` is an explicit opt-out. The fix adds the ' +
        'native probe for PostgreSQL (`pg_isready`), MySQL (`mysqladmin ping`), MariaDB, Redis/Valkey (`redis-cli ping`), ' +
        'MongoDB, RabbitMQ, Memcached, Elasticsearch and Cassandra; other services get no automatic probe. The probe ' +
        'assumes the image\'s default port, so for a service that sets its own `command:` or `entrypoint:` the fix is ' +
        'unsafe (offered in the editor, not applied by `--fix` or Fix All).',
    },
  },
  check(ctx) {
    const needed = dependedOn(ctx);
    let waitedOn: Set<string> | undefined;
    for (const svc of ctx.parsed.services) {
      const known = knownImage(svc);
      if (!known && !needed.has(svc.name)) continue;
      if (isOverlay(ctx, svc) || healthOf(ctx, svc.name) !== 'none') continue;
      // in a fragment, each service extending this one may add the check
      if (judgedValues(ctx, svc).every((v) => composeHealthcheck(v.healthcheck) !== 'none')) continue;
      const fixes = [];
      if (known && svc.node && !pairOf(svc, 'healthcheck')) {
        const edit = appendToMap(ctx.parsed, svc.node, [
          'healthcheck:', `  test: ${flowList(known.probe)}`, '  interval: 10s', '  timeout: 5s', '  retries: 5', `  start_period: ${known.startPeriod}`,
        ]);
        // the native probe assumes the image's own start-up (its default port and socket): a service that runs
        // another command or entrypoint may listen elsewhere, so there the probe is a guess, offered but not applied
        const overridden = ['command', 'entrypoint'].filter((k) => pairOf(svc, k));
        if (edit) {
          fixes.push(overridden.length
            ? fix(`Add a ${known.kind} health check (it assumes the image's default port; check it against the service's ${overridden.join(' and ')})`, 'unsafe', edit)
            : fix(`Add a ${known.kind} health check`, 'safe', edit));
        }
      }
      const why = known ? `runs ${known.kind}` : 'is a dependency of other services';
      // nothing in the project waits for it (the application runs outside Compose): the check would only serve
      // `docker compose up --wait` and `ps`
      const waited = needed.has(svc.name) || (waitedOn ??= dependedOn(ctx, true)).has(svc.name);
      ctx.report({
        range: svc.keyRange,
        ...(waited ? {} : { severity: 'info' as const }),
        message: waited
          ? `Service \`${svc.name}\` ${why} but has no health check, so dependents cannot wait until it is ready; add a \`healthcheck:\`${known ? ' with its native probe' : ''}.`
          : `Service \`${svc.name}\` ${why} but has no health check; no service of the project depends on it, but \`docker compose up --wait\` and \`ps\` can only show it ready with one: add a \`healthcheck:\` with its native probe.`,
        fixes,
      });
    }
  },
};

export default rule;
