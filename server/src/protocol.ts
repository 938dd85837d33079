// The contract between the Hullcheck client and server: custom request/notification types, diagnostic data
// and the editor settings. The client imports only this file from server/src, so it has no runtime imports.

import type { Fix, Language, Range, RuleMeta, Severity } from './engine/types';

export type { Fix, Language, Range, RuleMeta, Severity };

/** A typed request: the method name plus phantom parameter/result types checked on both sides. */
export interface RequestSpec<P, R> { readonly method: string; readonly __types?: (p: P) => R }
/** A typed notification. */
export interface NotificationSpec<P> { readonly method: string; readonly __types?: (p: P) => void }

/** Value of `Diagnostic.source` for everything Hullcheck reports. */
export const SOURCE = 'hullcheck';
/** Code-action kind of "apply every safe fix in the file" (usable in editor.codeActionsOnSave). */
export const FIX_ALL_KIND = 'source.fixAll.hullcheck';

/** What each diagnostic carries in `data`, so code actions need no server-side state. */
export interface DiagnosticData {
  /** The document version the finding was computed for. */
  version: number;
  fixes: Fix[];
}

/** A finding as sent to the client's views (fix edits left out: views only navigate). */
export interface WireFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixable: boolean;
}

export interface FileFindings {
  uri: string;
  /** File-system path (for labels). */
  path: string;
  language: Language | 'config';
  findings: WireFinding[];
}

export interface WorkspaceFindingsParams {
  /** Limit the walk to these folder URIs; all workspace folders when absent. */
  folders?: string[];
}

export interface WorkspaceFindingsResult {
  /** Files with at least one finding, sorted by path. */
  files: FileFindings[];
  /** Number of files linted. */
  scanned: number;
  /** True when the walk stopped at its file limit. */
  truncated: boolean;
}

export interface RuleDocsParams { id: string }
export interface RuleDocsResult { id: string; title: string; url: string; markdown: string }

export type RuleInfo = RuleMeta & { url: string };

export interface FindingsChangedParams {
  /** The document whose diagnostics changed; absent when many may have. */
  uri?: string;
}

export const WorkspaceFindingsRequest: RequestSpec<WorkspaceFindingsParams, WorkspaceFindingsResult> = { method: 'hullcheck/workspaceFindings' };
export const RuleDocsRequest: RequestSpec<RuleDocsParams, RuleDocsResult | null> = { method: 'hullcheck/ruleDocs' };
export const RulesRequest: RequestSpec<void, RuleInfo[]> = { method: 'hullcheck/rules' };
export const FindingsChangedNotification: NotificationSpec<FindingsChangedParams> = { method: 'hullcheck/findingsChanged' };

export type TraceSetting = 'off' | 'messages' | 'verbose';
export type RuleSettingValue = 'error' | 'warning' | 'info' | 'hint' | 'off' | ({ severity?: string } & Record<string, unknown>);

/** The `hullcheck.*` settings, as the server reads them per workspace folder. */
export interface HullcheckSettings {
  enable: boolean;
  rules: Record<string, RuleSettingValue>;
  requiredLabels: string[];
  allowRoot: string[];
  trace: { server: TraceSetting };
}

export const DEFAULT_SETTINGS: HullcheckSettings = {
  enable: true,
  rules: {},
  requiredLabels: [],
  allowRoot: [],
  trace: { server: 'off' },
};

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** The client already forwards config/ignore file events, so the server need not register watchers. */
  watchesConfigFiles?: boolean;
}
