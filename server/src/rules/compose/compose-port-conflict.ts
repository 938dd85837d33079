// compose-port-conflict: the same host port published twice, within a file or across the files a project merges
// (ports lists concatenate unless `!override`/`!reset`), ports inherited through `extends:` and anchors included.
// Also notes a test overlay that keeps its base's host ports.

import * as path from 'node:path';
import type { Node } from 'yaml';
import type { ComposeRule } from '../context';
import type { Range } from '../../core/findings';
import { mergedList, type ComposeLookup } from '../../facts/composeFileSets';
import { keyRange } from '../composeRuleHelpers';
import { parsePort, type PortSpec } from '../../model/composeValues';
import type { ParsedCompose } from '../../parse/compose';
import { canRunTogether, profilesOf } from '../../model/composeProfiles';

/** Where a binding is reported: the entry itself, or the `extends` key of the project file's service that inherits it. */
interface At { file: string; parsed: ParsedCompose; node: Node | undefined }

interface Published {
  /** Where the entry is written (a base file for an inherited one). */
  file: string; parsed: ParsedCompose; node: Node | undefined;
  at: At; inherited: boolean;
  service: string; spec: PortSpec & { host: [number, number] }; raw: unknown; profiles: string[];
}

const ANY_IP = new Set(['', '0.0.0.0', '::', '[::]']);

function clash(a: Published, b: Published): boolean {
  if (a.spec.protocol !== b.spec.protocol) return false;
  // services in disjoint profiles are never up together
  if (!canRunTogether(a.profiles, b.profiles)) return false;
  const ia = a.spec.hostIp ?? '', ib = b.spec.hostIp ?? '';
  if (ia !== ib && !ANY_IP.has(ia) && !ANY_IP.has(ib)) return false;
  // Compose merges identical entries of one service, so they are not two bindings
  if (a.service === b.service && JSON.stringify(a.raw) === JSON.stringify(b.raw)) return false;
  return a.spec.host[0] <= b.spec.host[1] && b.spec.host[0] <= a.spec.host[1];
}

function published(files: { path: string; parsed: ParsedCompose }[], env: Record<string, string>, lookup: ComposeLookup): Published[] {
  const names = new Set(files.flatMap((f) => f.parsed.services.map((s) => s.name)));
  const out: Published[] = [];
  for (const service of names) {
    // profiles a service inherits through `extends:` count too (Compose copies them with the rest)
    const profiles = profilesOf({ profiles: mergedList(files, service, 'profiles', lookup).map((e) => e.item) });
    for (const e of mergedList(files, service, 'ports', lookup)) {
      const spec = parsePort(e.item, env);
      const at = e.via ? { file: e.via.file, parsed: e.via.parsed, node: e.via.key } : { file: e.file, parsed: e.parsed, node: e.node };
      if (spec?.host) out.push({ file: e.file, parsed: e.parsed, node: e.node, at, inherited: !!e.via, service, spec: spec as Published['spec'], raw: e.item, profiles });
    }
  }
  return out;
}

const portText = (p: Published) => (p.spec.host[0] === p.spec.host[1] ? String(p.spec.host[0]) : `${p.spec.host[0]}-${p.spec.host[1]}`);

const rule: ComposeRule = {
  meta: {
    id: 'compose-port-conflict',
    language: 'compose',
    category: 'compose',
    title: 'Publish each host port once',
    severity: 'error',
    errorReason: 'Two services that run together cannot bind the same host port: the second one fails to start.',
    fix: 'none',
    docs: {
      rationale:
        'Two services cannot bind the same host port: the second fails to start with "port is already allocated". ' +
        'With override files the clash is easy to miss, because Compose appends an override\'s `ports` to the base ' +
        'file\'s list instead of replacing it, so the base ports stay published.',
      invalid: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n  admin:\n    image: example/admin:1.0\n    ports:\n      - "8080:3000"\n',
      valid: 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n  admin:\n    image: example/admin:1.0\n    ports:\n      - "8081:3000"\n',
      notes: 'Files are merged as Compose merges them: `compose.yaml` with `compose.override.yaml`, the lists in ' +
        '`composeProjects` of `.hullcheck.yaml` (for example `[[compose.yml, compose.test.yml]]`), and an override-only ' +
        'file with the base file its name extends. `!override` and `!reset` replace the base list. Ranges and host IPs are ' +
        'compared, and so are the services of included files (`include:`) and the ports a service inherits through `extends:` ' +
        '(reported at that `extends:`, where another port can be chosen) or merges from an anchor; variables take their value from the project\'s `.env`, else their default, and ports with neither are skipped. Services whose `profiles:` never meet (`[web]` ' +
        'and `[ops]`) are never up together and do not clash; a service without profiles always starts. An info finding notes a test overlay ' +
        '(a file named `*test*`) whose services keep the base file\'s host ports, since those still bind during tests.',
    },
  },
  check(ctx) {
    const self = ctx.parsed;
    const merged = ctx.facts.compose?.projects ?? [];
    // the folder's default project (compose.yaml with its override, or COMPOSE_FILE) is what runs: the file is not
    // judged alone then, so a service an override drops (`!reset`) or rewrites (`!override`) no longer clashes
    const alone = merged.some((p) => p.source === 'override' || p.source === 'env') ? [] : [{ files: [{ path: ctx.file, parsed: self }], self: 0 }];
    const projects = [...alone, ...merged, ...(ctx.facts.compose?.includes ?? [])];
    const seen = new Set<string>();
    const report = (range: Range, message: string, severity?: 'info') => {
      const key = `${JSON.stringify(range)}${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.report({ range, message, severity });
    };
    const lookup: ComposeLookup = (f) => ctx.facts.compose?.composeFiles.get(f);
    const rel = (file: string) => path.relative(path.dirname(path.resolve(ctx.file)), file).split(path.sep).join('/');
    const line = (parsed: ParsedCompose, node: Node | undefined) => (node ? parsed.range(node).start.line + 1 : undefined);
    /** `compose.base.yml:4`, or `line 4` in the linted file. */
    const place = (file: string, parsed: ParsedCompose, node: Node | undefined) => (parsed === self ? `line ${line(parsed, node)}` : `${rel(file)}:${line(parsed, node)}`);
    const order = (p: Published) => self.services.findIndex((s) => s.name === p.service);
    for (const project of projects) {
      const selfPath = project.files[project.self].path;
      const all = published(project.files, ctx.facts.compose?.env ?? {}, lookup);
      for (const a of all) {
        if (a.at.parsed !== self || !a.at.node) continue;
        const others = all.filter((b) => b !== a && clash(a, b));
        // a clash inside this file is reported once, where the later binding is written (services sharing one entry
        // through an anchor: on the later service); one with another file on each side
        const start = (p: Published) => (p.at.node?.range ? p.at.node.range[0] : -1);
        const before = (b: Published) => start(b) < start(a) || (start(b) === start(a) && order(b) < order(a));
        const other = others.find((b) => b.at.parsed === self && before(b)) ?? others.find((b) => b.at.parsed !== self);
        if (!other) continue;
        const from = (p: Published) => (p.inherited ? `, through \`extends\` from ${place(p.file, p.parsed, p.node)}` : '');
        const by = other.service === a.service ? 'again by this service' : `by service \`${other.service}\``;
        const message = other.at.node === a.at.node && !a.inherited
          ? `Host port ${portText(a)} is published by both \`${other.service}\` and \`${a.service}\`, which share this entry; only one container can bind it.`
          : `Host port ${portText(a)}${a.inherited ? ` (${from(a).slice(2)})` : ''} is ${other.service === a.service ? '' : 'also '}published ${by}` +
            `${other.at.parsed === self ? ` (${place(other.at.file, other.at.parsed, other.at.node)}${from(other)})` : ` in ${place(other.at.file, other.at.parsed, other.at.node)}${from(other)}`}; only one container can bind it.`;
        report(self.range(a.at.node), message);
      }
      // an overlay meant for tests that leaves the base's host ports published still collides with a running stack
      if (project.self === 0 || !/test/i.test(path.basename(selfPath))) continue;
      for (const svc of self.services) {
        if (!Array.isArray(svc.value.ports)) continue;
        const kept = all.filter((p) => p.service === svc.name && p.parsed !== self);
        if (kept.length === 0) continue;
        report(keyRange(ctx, svc, 'ports'), `Service \`${svc.name}\` adds ports but keeps ${kept.map(portText).join(', ')} from ${path.basename(kept[0].file)}, because Compose appends port lists; use \`ports: !override\` if the test stack must not bind them.`, 'info');
      }
    }
  },
};

export default rule;
