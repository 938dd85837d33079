// Compose profiles: which services can be up at the same time. A service without `profiles:` always starts; one
// with profiles starts only when one of them is enabled, so two services meet only when one of them has no
// profiles or both share a profile.

import type { ParsedCompose } from '../parse/compose';
import { nodeTag } from './composeMerge';
import { interpolate } from './composeValues';

/** A service's profiles as written (variables given their defaults); empty means always on. */
export function profilesOf(value: Record<string, unknown> | undefined): string[] {
  const raw = value?.profiles;
  if (!Array.isArray(raw)) return [];
  return raw.filter((p): p is string => typeof p === 'string').map((p) => interpolate(p).value).filter((p) => p !== '');
}

/** Whether services with these profiles can run together under some choice of enabled profiles that starts both. */
export function canRunTogether(a: readonly string[], b: readonly string[]): boolean {
  return a.length === 0 || b.length === 0 || a.some((p) => b.includes(p));
}

/**
 * A service's profiles after merging the files of its project in order: lists append, as Compose merges them, and
 * `!reset` / `!override` on the list or on the whole service drop what earlier files wrote.
 */
export function mergedProfiles(files: readonly { parsed: ParsedCompose }[], service: string): string[] {
  let out = new Set<string>();
  for (const f of files) {
    const tags = f.parsed.documents.map((d) => nodeTag(d, 'services', service, 'profiles'));
    if (tags.some((t) => t !== undefined)) out = new Set();
    for (const p of profilesOf(f.parsed.service(service)?.value)) out.add(p);
  }
  return [...out];
}
