// Editor settings (`hullcheck.*`): pulled per document or folder through workspace/configuration,
// normalised, cached until the next didChangeConfiguration, and turned into engine config overrides.

import type { Connection } from 'vscode-languageserver/node';
import { parseRuleSetting } from '../config/hullcheckConfig';
import type { ResolvedConfig, RuleSetting } from '../config/resolvedConfig';
import { DEFAULT_SETTINGS, type BaselineMode, type HullcheckSettings, type LensSizes, type RuleSettingValue, type TraceSetting } from '../protocol/messages';

/** A client that never answers must not stall linting forever. */
const CONFIGURATION_TIMEOUT_MS = 5000;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function baselineMode(v: unknown): BaselineMode {
  return v === 'hide' || v === 'show' ? v : 'lower';
}

function lensSizes(v: unknown): LensSizes {
  return v === 'all' || v === 'off' ? v : 'large';
}

/** Accept whatever the client sends and fill in defaults; wrong types fall back rather than fail. */
export function normalizeSettings(raw: unknown): HullcheckSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules = r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules) ? (r.rules as Record<string, RuleSettingValue>) : {};
  const trace = (r.trace as { server?: unknown } | undefined)?.server;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    rules,
    requiredLabels: strings(r.requiredLabels),
    allowRoot: strings(r.allowRoot),
    trace: { server: trace === 'messages' || trace === 'verbose' ? (trace as TraceSetting) : 'off' },
    shellcheck: { enable: (r.shellcheck as { enable?: unknown } | undefined)?.enable !== false },
    baseline: { mode: baselineMode((r.baseline as { mode?: unknown } | undefined)?.mode) },
    lens: { sizes: lensSizes((r.lens as { sizes?: unknown } | undefined)?.sizes) },
    duplicates: r.duplicates === 'hide' || r.duplicates === 'show' ? r.duplicates : 'auto',
    trivy: { vex: strings((r.trivy as { vex?: unknown } | undefined)?.vex).map((v) => v.trim()).filter(Boolean) },
  };
}

/** Settings as config overrides; only what the user set, so `.hullcheck.yaml` keeps the rest. */
export function toOverrides(s: HullcheckSettings, log: (m: string) => void): Partial<ResolvedConfig> {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(s.rules)) {
    const parsed = parseRuleSetting(value);
    if (typeof parsed === 'string') log(`Setting hullcheck.rules.${id} is ignored: ${parsed}`);
    else rules[id] = parsed;
  }
  const over: Partial<ResolvedConfig> = { rules, sources: ['editor settings'] };
  if (s.requiredLabels.length) over.requiredLabels = s.requiredLabels;
  if (s.allowRoot.length) over.allowRoot = s.allowRoot;
  return over;
}

export class SettingsService {
  private readonly cache = new Map<string, Promise<HullcheckSettings>>();
  /** Settings pushed with didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: HullcheckSettings = DEFAULT_SETTINGS;
  pullSupported = false;

  constructor(private readonly connection: Connection, private readonly log: (m: string) => void) {}

  /** The settings that apply to a resource (document or folder URI). */
  get(scopeUri: string | undefined): Promise<HullcheckSettings> {
    if (!this.pullSupported) return Promise.resolve(this.pushed);
    const key = scopeUri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.pull(scopeUri);
      this.cache.set(key, p);
    }
    return p;
  }

  private async pull(scopeUri: string | undefined): Promise<HullcheckSettings> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), CONFIGURATION_TIMEOUT_MS); });
      const raw = await Promise.race([this.connection.workspace.getConfiguration({ scopeUri, section: 'hullcheck' }), timeout]);
      if (raw === undefined) this.log('The client did not answer workspace/configuration in time; using default settings.');
      return normalizeSettings(raw);
    } catch (e) {
      this.log(`Reading settings failed: ${(e as Error).message}`);
      return DEFAULT_SETTINGS;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** didChangeConfiguration: drop the cache; keep pushed settings when the client sends them. */
  changed(settings: unknown): void {
    this.cache.clear();
    const section = (settings as { hullcheck?: unknown } | null | undefined)?.hullcheck;
    if (section !== undefined) this.pushed = normalizeSettings(section);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
