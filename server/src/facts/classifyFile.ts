// What the CLI lints a file as: the naming conventions first, then names starting with Dockerfile/Containerfile
// or ending in compose.yaml, then a cheap look inside YAML (a top-level `services:` mapping makes it compose) and, for files named on the
// command line, a Dockerfile's first instruction. Anything else is not linted.

import { nodeHost } from '../core/fileHost';
import * as path from 'node:path';
import { languageOf } from '../core/fileLanguage';
import type { Language } from '../core/findings';
import schemaJson from '../model/compose-spec.json';

/** How much of a file is read to tell what it is: `services:` and a first FROM sit near the top. */
const SNIFF_BYTES = 256 * 1024;

/**
 * Extensions of files whose names start with "Dockerfile" but hold code, documentation or data, or a template a
 * generator renders into a Dockerfile (`Dockerfile.tmpl`, `Dockerfile.j2`, `Dockerfile-alpine.template`): template
 * markup is not Dockerfile syntax, so linting one reports the template language as syntax errors.
 */
const NOT_DOCKERFILE_EXT = /^[^.]*(dockerfile|containerfile)[^.]*\..*\.?(md|markdown|rst|txt|adoc|html?|go|ts|tsx|js|mjs|cjs|py|rb|rs|java|kt|cs|c|h|cc|cpp|hpp|php|sh|bash|ps1|json|toml|ya?ml|xml|lock|sum|mod|png|svg|jpe?g|gif|pdf|snap|diff|patch|tmpl|tpl|gotmpl|template|j2|jinja2?|mustache|hbs|njk|liquid|erb|in)$/i;

/** Formats named like compose files that are not Compose (Rancher 1.x's companion file). */
const NOT_COMPOSE_NAME = /^rancher-compose\.ya?ml$/i;

/** The top-level keys Compose accepts besides `x-` extensions, from the Compose schema. */
const COMPOSE_TOP_KEYS = new Set(Object.keys((schemaJson as { properties: Record<string, unknown> }).properties));

/** What a file name alone says, or 'yaml' when the content must decide. */
export function languageByName(file: string): Language | 'yaml' | undefined {
  const base = path.basename(file);
  const byConvention = languageOf(file);
  // `dockerfile.go`, `Dockerfile.md`, `dockerfile-lint.yml`: source, docs and data about Dockerfiles, not Dockerfiles
  if (byConvention === 'dockerfile' && NOT_DOCKERFILE_EXT.test(base)) return /\.ya?ml$/i.test(base) ? 'yaml' : undefined;
  if (byConvention) return byConvention;
  if (/^(dockerfile|containerfile)/i.test(base) && !NOT_DOCKERFILE_EXT.test(base)) return 'dockerfile';
  // `api-Dockerfile`, `build_Containerfile`
  if (/[._-](dockerfile|containerfile)$/i.test(base)) return 'dockerfile';
  if (NOT_COMPOSE_NAME.test(base)) return undefined;
  // `prod.compose.yaml`, `stack-compose.yml`: a fragment of a project need not have services of its own (the
  // content still decides: see classify)
  if (/compose\.ya?ml$/i.test(base)) return 'compose';
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  return undefined;
}

/** Whether YAML text has a top-level `services:` key holding a mapping (block or flow style). */
export function hasServicesMapping(text: string): boolean {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^services[ \t]*:(.*)$/s.exec(lines[i]);
    if (!m) continue;
    // an anchor or tag may precede the value
    const rest = m[1].replace(/^[ \t]+/, '').replace(/(^|[ \t])#.*$/s, '').replace(/^(?:[&!]\S*[ \t]*)+/, '').trim();
    if (rest) return rest.startsWith('{');
    // block style: the first content line below must be indented and not a sequence item
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j];
      if (!line.trim() || /^[ \t]*#/.test(line)) continue;
      return /^[ \t]+(?!-[ \t]|-$)\S/.test(line);
    }
    return false;
  }
  return false;
}

/**
 * Whether YAML text has a top-level key Compose does not know, as a CI workflow (`on:`, `jobs:`) or a Symfony
 * service file (`parameters:`) has: such a file is not a Compose file even when it holds `services:`.
 */
export function hasForeignTopLevelKey(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)/.exec(line);
    if (m && !m[1].startsWith('x-') && !COMPOSE_TOP_KEYS.has(m[1])) return true;
  }
  return false;
}

/** Whether text starts like a Dockerfile: comments and parser directives, then FROM or ARG. */
export function looksLikeDockerfile(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    return /^(from|arg)\s+\S/i.test(t);
  }
  return false;
}

/** The first bytes of a file as text (undefined when it cannot be read; the lint reports that later). */
export async function sniff(file: string): Promise<string | undefined> {
  // through the file host: a FIFO or device named on the command line is never opened
  const r = await nodeHost.read(file, 'other', { maxBytes: SNIFF_BYTES, head: true, userChosen: true });
  return r.ok ? r.text : undefined;
}

/**
 * The language to lint a file as, or undefined. `explicit`: named on the command line, where a file whose name
 * says nothing may still be a Dockerfile by its content.
 */
export async function classify(file: string, explicit: boolean): Promise<Language | undefined> {
  const byName = languageByName(file);
  if (byName === 'yaml') {
    const head = await sniff(file);
    return head !== undefined && hasServicesMapping(head) && !hasForeignTopLevelKey(head) ? 'compose' : undefined;
  }
  // a name like `deploy-docker-compose.yml` may belong to a CI workflow; the canonical names are always Compose
  if (byName === 'compose' && !languageOf(file)) {
    const head = await sniff(file);
    return head !== undefined && hasForeignTopLevelKey(head) ? undefined : 'compose';
  }
  if (byName || !explicit) return byName;
  const head = await sniff(file);
  return head !== undefined && looksLikeDockerfile(head) ? 'dockerfile' : undefined;
}
