// The open documents and their one lazy parse per version. Features ask this store for a document's
// language, path and parse; nothing else parses. Closing a document evicts its parse.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseFor } from '../engine/lintFile';
import { languageOf } from '../core/fileLanguage';
import { nodeHost, syncLookups } from '../core/fileHost';
import { matchesComposeGlob } from './composeGlobs';
import type { FileHost } from '../core/fileHost';
import type { Finding, Language } from '../core/findings';

/** Languages the server lints today; the others are recognised but have no rules yet. */
export const SERVED_LANGUAGES: ReadonlySet<Language> = new Set<Language>(['dockerfile', 'dockerignore', 'compose', 'trivyignore']);

/** Larger documents are not parsed on the main thread (real Dockerfiles are far smaller): a worker lints them with a deadline. */
export const MAX_LINT_CHARS = 256 * 1024;

/**
 * Parses kept in memory at once (most recently used): the few documents being edited or looked at. Parse trees are
 * several times the size of their text; with hundreds of open documents the rest re-parse on demand.
 */
export const MAX_CACHED_PARSES = 8;

/** Rule id of the notice shown instead of findings on documents that are not linted. */
export const SKIPPED_RULE = 'file-skipped';

export interface ParsedEntry {
  version: number;
  language: Language;
  /** The parse, or undefined when the document was skipped. */
  parsed: unknown;
  /** Why the document was not parsed (too large, binary). */
  skipped?: string;
  /** Too large to parse on the server's main thread: it is linted in a worker thread instead (features/largeLint.ts). */
  large?: boolean;
}

export const TOO_LARGE_MESSAGE = `Hullcheck skips files larger than ${MAX_LINT_CHARS / 1024} KB.`;

/** Why a text should not be linted, or undefined when it is fine. */
export function skipReason(text: string): string | undefined {
  if (text.length > MAX_LINT_CHARS) return TOO_LARGE_MESSAGE;
  // a NUL never appears in a real Dockerfile or ignore file; it means the file is binary
  if (text.includes('\u0000')) return 'This file looks binary; Hullcheck does not lint it.';
  return undefined;
}

/** The one finding reported on a skipped file. */
export function skippedFinding(reason: string): Finding {
  return { rule: SKIPPED_RULE, severity: 'info', message: reason, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [] };
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).toString();
}

function languageFromId(languageId: string): Language | undefined {
  switch (languageId) {
    case 'dockerfile': return 'dockerfile';
    case 'dockerignore': return 'dockerignore';
    case 'dockercompose': return 'compose';
    case 'trivyignore': return 'trivyignore';
    default: return undefined;
  }
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly parses = new Map<string, ParsedEntry>();
  /** `hullcheck.compose.extraGlobs`: more file patterns linted as compose. */
  composeGlobs: string[] = [];

  /** Open documents by file-system path: config lookups ask for every candidate file on each lint. */
  private readonly paths = new Map<string, string>();

  constructor() {
    this.documents.onDidOpen((e) => { const p = uriToPath(e.document.uri); if (p) this.paths.set(p, e.document.uri); });
    this.documents.onDidClose((e) => {
      this.parses.delete(e.document.uri);
      const p = uriToPath(e.document.uri);
      if (p && this.paths.get(p) === e.document.uri) this.paths.delete(p);
    });
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return this.documents.all();
  }

  /** The served language of a document: by file name first, then by the editor's language id (untitled files). */
  languageOf(doc: TextDocument): Language | undefined {
    const file = uriToPath(doc.uri);
    const lang = (file ? languageOf(file) ?? (matchesComposeGlob(file, this.composeGlobs) ? 'compose' : undefined) : undefined) ?? languageFromId(doc.languageId);
    return lang && SERVED_LANGUAGES.has(lang) ? lang : undefined;
  }

  /**
   * The document's parse for its current version, computed at most once per version while it stays cached.
   * `remember: false` is for scans over every open document: a cached parse is returned without refreshing its
   * place, and a new one is not cached, so a scan never evicts the documents being edited.
   */
  parsedOf(doc: TextDocument, opts: { remember?: boolean } = {}): ParsedEntry | undefined {
    const language = this.languageOf(doc);
    if (!language) return undefined;
    const cached = this.parses.get(doc.uri);
    if (cached && cached.version === doc.version && cached.language === language) {
      if (opts.remember === false) return cached;
      // most recently used last, so eviction drops the documents nobody looked at for longest
      this.parses.delete(doc.uri);
      this.parses.set(doc.uri, cached);
      return cached;
    }
    const text = doc.getText();
    const skipped = skipReason(text);
    // the parse of the version before lends the parser what the edit left unchanged (a scan that does not remember
    // its parse leaves it be: a compose parse lent is taken over by the new one)
    const previous = opts.remember !== false && cached?.language === language ? cached.parsed : undefined;
    const entry: ParsedEntry = { version: doc.version, language, parsed: skipped ? undefined : parseFor(language, text, previous), skipped, large: skipped === TOO_LARGE_MESSAGE };
    if (opts.remember === false) return entry;
    this.parses.delete(doc.uri);
    this.parses.set(doc.uri, entry);
    // parse trees are several times the size of their text: keep only the recently used ones (others re-parse on demand)
    for (const uri of this.parses.keys()) {
      if (this.parses.size <= MAX_CACHED_PARSES) break;
      this.parses.delete(uri);
    }
    return entry;
  }

  /** The version whose parse is cached for a document, if any (tests check eviction). */
  cachedVersion(uri: string): number | undefined {
    return this.parses.get(uri)?.version;
  }

  /** The open document at a file-system path, if any. */
  byPath(file: string): TextDocument | undefined {
    const uri = this.paths.get(path.resolve(file));
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  /** A file host where open documents' in-memory text wins over the disk. */
  readonly host: FileHost = {
    read: async (file, kind, opts) => {
      const open = this.byPath(file);
      if (open) return { ok: true, text: open.getText() };
      return nodeHost.read(file, kind, opts);
    },
    // lookups are single system calls, answered without a round trip through the thread pool (core/fileHost.ts)
    kind: async (file) => (this.byPath(file) ? 'file' : syncLookups.kind(file)),
    realpath: (file) => syncLookups.realpath(file),
    list: (dir) => syncLookups.list(dir),
  };
}
