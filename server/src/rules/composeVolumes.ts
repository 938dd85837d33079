// Named volumes of a compose project: which ones services mount (with the node of each mount) and which ones the
// top-level `volumes:` declares, across the files merged with the linted one, the files it includes or extends
// from, and the files that use it as a building block.

import { isMap, isSeq, type Node, type Pair } from 'yaml';
import type { ParsedCompose } from '../parse/compose';
import { deref, keyName } from '../parse/compose';
import type { ComposeFacts } from '../facts/composeFacts';
import { nodeOf } from './composeRuleHelpers';
import { parseMount } from '../model/composeValues';

export interface VolumeUse { service: string; name: string; node: Node | undefined }

/** Named-volume mounts in one file, in order. */
export function volumeUses(parsed: ParsedCompose): VolumeUse[] {
  const out: VolumeUse[] = [];
  for (const svc of parsed.services) {
    const list = svc.value.volumes;
    if (!Array.isArray(list)) continue;
    const seq = nodeOf(svc, 'volumes');
    list.forEach((entry, i) => {
      const m = parseMount(entry);
      if (!m || m.type !== 'volume' || !m.source) return;
      out.push({ service: svc.name, name: m.source, node: isSeq(seq) ? (seq.items[i] as Node) : undefined });
    });
  }
  return out;
}

/** Top-level volume declarations of one file: name -> key pair. */
export function declaredVolumes(parsed: ParsedCompose): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const doc of parsed.documents) {
    const root = deref(doc, doc.contents);
    if (!isMap(root)) continue;
    const vp = root.items.find((p) => keyName(p) === 'volumes');
    const vm = vp ? deref(doc, vp.value) : undefined;
    if (!isMap(vm)) continue;
    for (const p of vm.items) { const n = keyName(p); if (n !== undefined) out.set(n, p); }
  }
  return out;
}

/** Named volumes the effective projects around this file (its own, and those of the files using it) declare. */
export function declaredInProjects(facts: ComposeFacts | undefined): Set<string> {
  return new Set([facts?.model, ...(facts?.users ?? [])].flatMap((m) => m?.volumes ?? []));
}

/** Named volumes the services of the effective projects around this file mount (extends and includes followed). */
export function mountedInProjects(facts: ComposeFacts | undefined): Set<string> {
  const out = new Set<string>();
  for (const m of [facts?.model, ...(facts?.users ?? [])]) {
    for (const s of m?.services ?? []) for (const v of s.volumes) if (v.type === 'volume' && v.source) out.add(v.source);
  }
  return out;
}

/** The other files merged with this one. */
export function projectSiblings(facts: ComposeFacts | undefined): ParsedCompose[] {
  return (facts?.projects ?? []).flatMap((p) => p.files.filter((_, i) => i !== p.self).map((f) => f.parsed));
}
