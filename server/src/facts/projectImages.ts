// Which images the project builds or publishes itself, from the files around a compose file (found as for the build
// labels, plus Maven, Gradle and composite-action files): names given to
// `docker build -t`/`--tag`, `docker push` and `docker tag`, to `type=image,name=…` outputs, to keys that name
// images (metadata-action's `images:`, build-push-action's and bake's `tags`, GoReleaser's `image_templates`,
// `IMAGE_NAME=`), the `GITHUB_REPOSITORY=<name>` of official-image (bashbrew) workflows, Maven's `<image>` and `-t`
// arguments, the `image:` of compose services that have `build:`, and the repository's own `owner/name`.
// Names built from variables match any value there (`${REGISTRY}/acme/api:${VERSION}` is `acme/api`).

import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { parseCompose } from '../parse/compose';
import { interpolate } from '../model/composeValues';
import { foldersUp } from '../core/projectScope';
import { buildFilesOf } from './buildLabels';
import { buildFileText, mapReferences, scanBuildFile } from './buildText';
import { trimLeading, trimTrailing } from '../core/strings';

export interface PublishedImage {
  /** Path segments without registry or tag; VAR stands for a variable part. */
  segments: string[];
  /** Leading segments were variables (a registry or namespace): any prefix matches. */
  anyPrefix: boolean;
  /** The file that names it, absolute. */
  file: string;
}

export interface ProjectImages {
  published: PublishedImage[];
  /** The repository's `owner/name`, when a git remote, package manifest or README says it. */
  repository?: string;
}

/** Stands for a variable part of a name. */
const VAR = '\u0001';

/** Replace variable references by VAR. */
const varsOut = (s: string): string => mapReferences(s, () => VAR);

/** A name template as written (`ghcr.io/${OWNER}/api:${TAG}`) -> its segments, or undefined when it names no image. */
export function imageTemplate(raw: string): Omit<PublishedImage, 'file'> | undefined {
  let s = varsOut(trimTrailing(trimLeading(raw.trim(), '"\''), '"\',;')).toLowerCase();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const segs = s.split('/');
  if (segs.length > 1 && (/[.:]/.test(segs[0]) || segs[0] === 'localhost')) segs.shift();
  let anyPrefix = false;
  while (segs.length > 1 && /^\u0001+$/.test(segs[0])) { segs.shift(); anyPrefix = true; }
  if (segs.some((g) => !/^[a-z0-9._\u0001-]+$/.test(g) || /^[._-]/.test(g))) return undefined;
  const literal = segs.filter((g) => !g.includes(VAR) && g.length >= 2);
  if (literal.length === 0) return undefined;
  // one segment after a variable prefix must be whole (`${OWNER}/api`), not `${OWNER}/${NAME}-api`
  if (anyPrefix && segs.length === 1 && segs[0].includes(VAR)) return undefined;
  return { segments: segs, anyPrefix };
}

/**
 * A line's key and value when the key names images: `images`, `IMAGE_NAME`, `image-name`, `image_templates`, `tags`
 * (not a job's or service's own `image:`, which is what it runs); YAML, Makefile and shell spellings.
 */
function imageKey(line: string): { value: string } | undefined {
  let t = line.trimStart();
  if (t.startsWith('-')) t = t.slice(1).trimStart();
  const m = /^["']?([\w.-]+)["']?[ \t]*(?::=|\?=|\+=|=|:)/.exec(t);
  if (!m) return undefined;
  const key = m[1].toLowerCase();
  if (key === 'image' || (key !== 'tags' && !key.includes('image'))) return undefined;
  const value = t.slice(m[0].length);
  return value.startsWith('/') ? undefined : { value: value.trim() };
}

/** Image names a workflow, script, Makefile, bake, GoReleaser or Maven file builds or publishes. */
export function namesInBuildText(text: string, repository?: string): string[] {
  let t = text;
  if (/<project[\s>]/.test(t)) t = mavenText(t);
  if (repository) {
    const [owner, name] = repository.split('/');
    t = t.replace(/\$\{\{\s*github\.repository\s*\}\}/g, repository)
      .replace(/\$\{\{\s*github\.repository_owner\s*\}\}/g, owner)
      .replace(/\$\{\{\s*github\.event\.repository\.name\s*\}\}/g, name);
  }
  // `${{ x }}` as one word
  t = mapReferences(t, (ref) => (ref.startsWith('${{') ? ref.replace(/\s/g, '') : ref));
  const out: string[] = [];
  const one = (re: RegExp) => { for (const m of t.matchAll(re)) out.push(m[1]); };
  // `-t` names the image only in a build command (`docker run -t alpine` does not), continuation lines joined
  for (const line of t.replace(/\\\r?\n/g, ' ').split('\n')) if (/\bbuild\b|\bbuildx\b|\bbake\b/.test(line)) {
    for (const m of line.matchAll(/(?:^|\s)(?:-t|--tag)(?:\s+|=)["']?([^\s"'`,;|()[\]]+)/g)) out.push(m[1]);
  }
  one(/\b(?:docker|podman)\s+(?:image\s+)?push\s+(?:-\S+\s+)*["']?([^\s"'`,;|()[\]-][^\s"'`,;|()[\]]*)/g);
  one(/\b(?:docker|podman)\s+(?:image\s+)?tag\s+\S+\s+["']?([^\s"'`,;|()[\]]+)/g);
  one(/\bGITHUB_REPOSITORY=["']?([a-z0-9][a-z0-9._-]*)["']?\s/g);
  for (const line of t.split('\n')) if (/type=(?:image|registry)/.test(line)) {
    for (const m of line.matchAll(/[\s,"']name=["']?([^\s"'`,;|()[\]]+)/g)) out.push(...m[1].split(','));
  }
  const lines = t.split('\n');
  lines.forEach((line, i) => {
    const m = imageKey(line);
    if (!m) return;
    const comment = /\s#/.exec(m.value);
    const value = (comment ? m.value.slice(0, comment.index) : m.value).trim();
    const keyed: string[] = [];
    if (value === '' || /^[|>][-+]?$/.test(value)) {
      const indent = /^\s*/.exec(line)![0].length;
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j];
        if (l.trim() === '') continue;
        if (/^\s*/.exec(l)![0].length <= indent) break;
        keyed.push(l.trim().replace(/^-\s*/, ''));
      }
    } else keyed.push(...value.replace(/^\[|\]$/g, '').split(','));
    // a bare name (no namespace) from a key is too weak: test jobs set `IMAGE: postgres`
    for (const k of keyed) for (const w of k.trim().split(/\s+/)) if (w.includes('/')) out.push(w);
  });
  return out;
}

/** XML text with each `<…>` tag replaced by a space (an unclosed `<` and what follows it kept). */
function withoutTags(xml: string): string {
  let out = '';
  for (let i = 0; i < xml.length;) {
    const open = xml.indexOf('<', i);
    const close = open < 0 ? -1 : xml.indexOf('>', open + 1);
    if (open < 0 || close < 0) { out += xml.slice(i); break; }
    out += xml.slice(i, open) + ' ';
    i = close + 1;
  }
  return out;
}

/** Maven: property references resolved from `<properties>`, tags dropped, so `<image>x</image>` and `-t x` read as text. */
function mavenText(xml: string): string {
  const props = new Map<string, string>();
  const block = /<properties>([\s\S]*?)<\/properties>/.exec(xml)?.[1] ?? '';
  for (const m of block.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) props.set(m[1], m[2].trim());
  const resolved = xml.replace(/\$\{([\w.-]+)\}/g, (all, k: string) => props.get(k) ?? all);
  // Jib's target (`<to><image>`, not the base in `<from>`) and Spring Boot's `<image><name>`
  const images = [...resolved.matchAll(/<to>\s*<image>\s*([^<\s]+)\s*<\/image>|<image>\s*<name>\s*([^<\s]+)\s*<\/name>/g)]
    .map((m) => `build -t ${m[1] ?? m[2]}`);
  return [withoutTags(resolved).replace(/\s+/g, ' '), ...images].join('\n');
}

/** Images a README advertises as the project's on Docker Hub: `hub.docker.com/r/<ns>/<name>` links and Docker badges. */
export function namesInReadme(text: string): string[] {
  return [...text.matchAll(/(?:hub\.docker\.com\/r|img\.shields\.io\/docker\/[\w-]+)\/([\w.-]+\/[\w.-]+)/g)].map((m) => m[1]);
}

/** Images of compose services that have `build:`: what the project builds and tags itself. */
export function builtInCompose(text: string): string[] {
  const out: string[] = [];
  for (const svc of parseCompose(text).services) {
    const v = svc.value;
    if (v?.build === undefined || v.build === null || typeof v.image !== 'string') continue;
    // a service that always pulls its image does not use what it builds
    if (typeof v.pull_policy === 'string' && interpolate(v.pull_policy).value.trim().toLowerCase() === 'always') continue;
    const r = interpolate(v.image);
    out.push(r.unknown ? v.image : r.value);
  }
  return out;
}

/** `owner/name` from a git remote URL or a forge URL (`git@github.com:o/n.git`, `https://gitlab.com/g/o/n`). */
function repoOfUrl(url: string): string | undefined {
  const m = /(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|gitea\.com)[:/]+((?:[\w.-]+\/)*[\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/i.exec(url.trim());
  return m ? m[1].split('/').slice(-2).join('/') : undefined;
}

/** The repository a folder's files name: git remote `origin`, package.json, go.mod, Cargo.toml, README CI badges. */
export function repositoryIn(files: { name: string; text: string }[]): string | undefined {
  for (const { name, text } of files) {
    let found: string | undefined;
    if (name === '.git/config') {
      const origin = /\[remote "origin"\][^[]*?\burl\s*=\s*(\S+)/.exec(text) ?? /\[remote "[^"]*"\][^[]*?\burl\s*=\s*(\S+)/.exec(text);
      found = origin ? repoOfUrl(origin[1]) : undefined;
    } else if (name === 'package.json') {
      const m = /"repository"\s*:\s*(?:"([^"]+)"|\{[^}]*?"url"\s*:\s*"([^"]+)")/.exec(text);
      const v = m?.[1] ?? m?.[2];
      found = v ? (repoOfUrl(v) ?? /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(v)?.[1]) : undefined;
    } else if (name === 'go.mod') {
      const m = /^module\s+(\S+)/m.exec(text);
      found = m ? repoOfUrl(m[1].split('/').slice(0, 3).join('/')) : undefined;
    } else if (name === 'Cargo.toml' || name === 'pyproject.toml') {
      const m = /^[ \t]*(?:repository|Repository|Source|source)[ \t]*=[ \t]*"([^"]+)"/m.exec(text);
      found = m ? repoOfUrl(m[1]) : undefined;
    } else if (/^readme/i.test(name)) {
      // the clone command, the project's CI badges and release links name its repository
      const ids = new Set([
        ...text.matchAll(/git clone\s+(?:-\S+\s+)*https?:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?=[\s/)]|$)/g),
        ...text.matchAll(/github\.com\/([\w.-]+\/[\w.-]+)\/(?:actions|workflows|releases)\b/g),
        ...text.matchAll(/img\.shields\.io\/github\/[\w-]+\/([\w.-]+\/[\w.-]+?)(?:\.svg)?(?=[?)"'\s]|$)/g),
      ].map((m) => m[1].toLowerCase()));
      if (ids.size === 1) found = [...ids][0];
    }
    if (found) return found.toLowerCase();
  }
  return undefined;
}

const IDENTITY_FILES = ['.git/config', 'package.json', 'go.mod', 'Cargo.toml', 'pyproject.toml', 'README.md', 'readme.md', 'README.rst'];
/** The images the project around `file` builds or publishes. */
export async function projectImages(host: FileHost, file: string): Promise<ProjectImages> {
  let repository: string | undefined;
  const folders = await foldersUp(host, path.dirname(path.resolve(file)));
  for (const dir of folders) {
    const files: { name: string; text: string }[] = [];
    for (const n of IDENTITY_FILES) {
      const text = await buildFileText(host, path.join(dir, n));
      if (text !== undefined) files.push({ name: n, text });
    }
    repository = repositoryIn(files);
    if (repository) break;
  }
  const published: PublishedImage[] = [];
  const add = (raw: string, from: string) => {
    const t = imageTemplate(raw);
    if (t) published.push({ ...t, file: from });
  };
  if (repository) add(repository, '');
  for (const dir of folders) for (const n of ['README.md', 'readme.md']) {
    const text = await buildFileText(host, path.join(dir, n));
    if (text !== undefined) for (const name of namesInReadme(text)) add(name, path.join(dir, n));
  }
  const self = path.resolve(file);
  const around = (await buildFilesOf(host, file)).files.map((f) => ({ path: f.path, compose: f.compose }));
  if (!around.some((f) => f.path === self)) around.unshift({ path: self, compose: true });
  // Maven and Gradle builds, and the composite actions workflows call (`.github/actions/build-image/action.yml`)
  for (const dir of folders) {
    for (const n of ['pom.xml', 'build.gradle', 'build.gradle.kts']) {
      if ((await host.kind(path.join(dir, n), { quiet: true })) === 'file') around.push({ path: path.join(dir, n), compose: false });
    }
    for (const a of ((await host.kind(path.join(dir, '.github/actions'), { quiet: true })) === 'dir' ? (await host.list?.(path.join(dir, '.github/actions'))) ?? [] : []).slice(0, 16)) {
      for (const n of ['action.yml', 'action.yaml']) {
        if ((await host.kind(path.join(dir, '.github/actions', a, n), { quiet: true })) === 'file') around.push({ path: path.join(dir, '.github/actions', a, n), compose: false });
      }
    }
  }
  for (const f of around) {
    // an unreadable build file names nothing
    const names = f.compose
      ? await scanBuildFile(host, f.path, 'images:compose', [], builtInCompose)
      : await scanBuildFile(host, f.path, `images:${repository ?? ''}`, [], (text) => namesInBuildText(text, repository));
    for (const n of names) add(n, f.path);
  }
  return { published, ...(repository ? { repository } : {}) };
}

/**
 * Whether a name segment matches a template segment whose VAR parts each stand for one or more characters: the first
 * literal part is a prefix, the last a suffix, the ones between found leftmost in order.
 */
function segmentMatches(template: string, segment: string): boolean {
  const parts = template.split(VAR);
  if (parts.length === 1) return template === segment;
  const first = parts[0], last = parts[parts.length - 1];
  if (!segment.startsWith(first) || !segment.endsWith(last)) return false;
  let at = first.length;
  const end = segment.length - last.length;
  for (const mid of parts.slice(1, -1)) {
    const found = segment.indexOf(mid, at + 1);
    if (found < 0 || found + mid.length > end - 1) return false;
    at = found + mid.length;
  }
  return end - at >= 1;
}

/** Letters and digits only: Docker Hub namespaces drop the dashes of the organisation's name (`umamisoftware`). */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Why a compose image is the project's own, or undefined: the project builds or publishes it (the file that says so;
 * '' when it is the repository's own `owner/name`), or its namespace is the repository owner's (`owner`).
 * Registry and tag are ignored; `library/x` is the official image `x`.
 */
export function ownImage(images: ProjectImages | undefined, image: string): { file: string } | { owner: string } | undefined {
  const hit = publishedAs(images, image);
  if (hit) return { file: hit.file };
  const t = imageTemplate(image);
  const owner = images?.repository?.split('/')[0];
  if (owner && t && t.segments.length === 2 && !t.anyPrefix && squash(t.segments[0]) === squash(owner)) return { owner };
  return undefined;
}

function publishedAs(images: ProjectImages | undefined, image: string): PublishedImage | undefined {
  const t = imageTemplate(image);
  if (!images || !t || t.anyPrefix || t.segments.some((g) => g.includes(VAR))) return undefined;
  const segs = t.segments[0] === 'library' && t.segments.length === 2 ? t.segments.slice(1) : t.segments;
  return images.published.find((p) => {
    if (p.anyPrefix ? segs.length < p.segments.length : segs.length !== p.segments.length) return false;
    const tail = segs.slice(segs.length - p.segments.length);
    return p.segments.every((g, i) => segmentMatches(g, tail[i]));
  });
}
