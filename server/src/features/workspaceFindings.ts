// hullcheck/workspaceFindings: lint every Dockerfile and ignore file under the workspace folders.
// The walk is asynchronous and bounded (skipped folders, file and folder limits, size cap); open documents'
// in-memory text wins over the disk.

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { FileHost } from '../core/fileHost';
import { readKindOf, type ReadResult } from '../core/fileHost';
import { lintFile } from '../engine/lintFile';
import { folderOf } from '../core/projectScope';
import { languageOf } from '../core/fileLanguage';
import { CONFIG_ERROR_RULE, type Finding } from '../core/findings';
import { MAX_LINT_CHARS, SERVED_LANGUAGES, TOO_LARGE_MESSAGE, pathToUri, skipReason, skippedFinding, uriToPath, type DocumentStore } from './documents';
import type { FileFindings, WireFinding, WorkspaceFindingsParams, WorkspaceFindingsResult } from '../protocol/messages';
import { toOverrides, type SettingsService } from './editorSettings';
import { filterDuplicates } from './peerDuplicates';
import { isSkippedFolder } from '../facts/skippedFolders';
import type { PeerExtensionsParams } from '../protocol/messages';

const MAX_FILES = 2000;
const MAX_DIRS = 20000;

export interface WalkDeps {
  docs: DocumentStore;
  settings: SettingsService;
  folders(): string[];
  log(message: string): void;
  /** Which peer extensions are active: their duplicates are hidden here as in the editor (`hullcheck.duplicates`). */
  peers?(): PeerExtensionsParams;
}

const wire = (f: Finding): WireFinding => ({ rule: f.rule, severity: f.severity, message: f.message, range: f.range, fixable: f.fixes.length > 0 });

/** Files to lint under `root`, breadth first, without following symbolic links. */
export async function findLintableFiles(root: string, limits = { files: MAX_FILES, dirs: MAX_DIRS }): Promise<{ files: string[]; truncated: boolean }> {
  const files: string[] = [];
  const queue = [root];
  let dirs = 0;
  while (queue.length) {
    const dir = queue.shift()!;
    if (++dirs > limits.dirs) return { files, truncated: true };
    let entries: Dirent[];
    try { entries = await readdir(dir, { withFileTypes: true }); } catch { continue; }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!isSkippedFolder(e.name)) queue.push(full);
      } else if (e.isFile()) {
        const lang = languageOf(e.name);
        if (!lang || !SERVED_LANGUAGES.has(lang)) continue;
        if (files.length >= limits.files) return { files, truncated: true };
        files.push(full);
      }
    }
  }
  return { files, truncated: false };
}

/** Remember every read during one walk: many files share the same config files. */
function memoHost(inner: FileHost): FileHost {
  const cache = new Map<string, Promise<ReadResult>>();
  return {
    read(file, kind, opts) {
      const key = `${kind}\0${opts?.userChosen ? 1 : 0}\0${opts?.maxBytes ?? ''}\0${file}`;
      let p = cache.get(key);
      if (!p) { p = inner.read(file, kind, opts); cache.set(key, p); }
      return p;
    },
    kind: (file, opts) => inner.kind(file, opts),
    realpath: inner.realpath ? (file) => inner.realpath!(file) : undefined,
  };
}

export async function workspaceFindings(deps: WalkDeps, params: WorkspaceFindingsParams | undefined): Promise<WorkspaceFindingsResult> {
  const roots = params?.folders?.length
    ? params.folders.map((u) => uriToPath(u)).filter((p): p is string => !!p)
    : deps.folders();
  const host = memoHost(deps.docs.host);
  const results = new Map<string, FileFindings>();
  const configSeen = new Map<string, Set<string>>();
  let scanned = 0;
  let truncated = false;
  for (const root of roots) {
    const settings = await deps.settings.get(pathToUri(root));
    if (!settings.enable) continue;
    const overrides = toOverrides(settings, deps.log);
    const walk = await findLintableFiles(root);
    truncated ||= walk.truncated;
    for (const file of walk.files) {
      if (results.has(file)) continue; // nested workspace folders
      scanned++;
      const language = languageOf(file)!;
      const findings = filterDuplicates(await lintOne(file, language, host, deps, overrides, configSeen), settings.duplicates ?? 'auto', deps.peers?.() ?? { dockerDx: false, containerTools: false });
      if (findings.length) results.set(file, { uri: pathToUri(file), path: file, language, findings: findings.map(wire) });
    }
  }
  for (const [file, messages] of configSeen) {
    if (messages.size === 0) continue;
    const findings = [...messages].map((m) => JSON.parse(m) as WireFinding);
    results.set(file, { uri: pathToUri(file), path: file, language: 'config', findings });
  }
  const files = [...results.values()].sort((a, b) => a.path.localeCompare(b.path));
  return { files, scanned, truncated };
}

async function lintOne(
  file: string, language: NonNullable<ReturnType<typeof languageOf>>, host: FileHost, deps: WalkDeps,
  overrides: ReturnType<typeof toOverrides>, configSeen: Map<string, Set<string>>,
): Promise<Finding[]> {
  try {
    const open = deps.docs.byPath(file);
    let text: string | undefined;
    if (open) text = open.getText();
    else {
      // a UTF-8 text over the lint limit is skipped anyway: do not read more than four bytes per character of it
      const r = await host.read(file, readKindOf(language), { maxBytes: MAX_LINT_CHARS * 4 });
      if (!r.ok) return r.reason === 'missing' ? [] : [skippedFinding(r.reason === 'too-large' ? TOO_LARGE_MESSAGE : `Hullcheck cannot read this file: ${r.message}.`)];
      text = r.text;
    }
    const skipped = skipReason(text);
    if (skipped) return [skippedFinding(skipped)];
    const r = await lintFile(file, text, { host, language, overrides, log: deps.log, workspaceFolder: folderOf(deps.folders(), file) });
    for (const p of r.configProblems) {
      const set = configSeen.get(p.file) ?? new Set<string>();
      set.add(JSON.stringify({ rule: CONFIG_ERROR_RULE, severity: p.severity, message: p.message, range: p.range, fixable: false } satisfies WireFinding));
      configSeen.set(p.file, set);
    }
    return r.findings;
  } catch (e) {
    deps.log(`Linting ${file} failed: ${(e as Error).message}`);
    return [];
  }
}
