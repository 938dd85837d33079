// The preset classification and version record of every rule, in one table so it can be checked for
// completeness: which rules are opinionated (quiet in `recommended`, on in `strict`), and the version in which
// each rule and each change of its defaults arrived (what `preset: recommended@<version>` pins).

import type { Severity } from '../core/findings';
import type { SeveritySetting } from '../core/ruleMeta';

/** The version of the newest rule set: the version in which the latest rule or default change arrived. */
export const RULESET_VERSION = '0.2.0';

/** The rule set before presets existed: every rule at its own default severity. */
export const FIRST_VERSION = '0.1.0';

export type PresetName = 'recommended' | 'strict' | 'hadolint';
export const PRESET_NAMES: readonly PresetName[] = ['recommended', 'strict', 'hadolint'];

/** A change of a rule's defaults in one preset (or all), from `version` on. Earlier pins keep the earlier value. */
export interface DefaultChange {
  version: string;
  /** The presets it applies to; all when absent. */
  presets?: PresetName[];
  severity?: SeveritySetting;
  /** Replaces the top-level defaults the rule reads (today only `requiredLabels`). */
  requiredLabels?: string[];
  /** What changed, in a few words, for `hullcheck rules --changes-since` and the rule page. */
  note: string;
}

export interface RuleRecord {
  /** The version in which the rule arrived. */
  since: string;
  /**
   * An opinionated check: from 0.2.0 it reports at `quiet` (default info) in `recommended` and at least at warning
   * in `strict`. Correctness, security and the broadly agreed conventions are not opinionated.
   */
  opinion?: { quiet?: Exclude<Severity, 'error' | 'warning'>; strict?: Severity };
  /** Default changes beyond the opinion classification, oldest first. */
  changes?: DefaultChange[];
}

/** The version in which presets arrived (and with them the opinion classification). */
export const PRESETS_SINCE = '0.2.0';

const V1: RuleRecord = { since: FIRST_VERSION };
const OPINION: RuleRecord = { since: FIRST_VERSION, opinion: {} };
const OPINION_HINT: RuleRecord = { since: FIRST_VERSION, opinion: { quiet: 'hint' } };

/**
 * A rule that was an error by default in 0.1.0 and a warning from 0.2.0 on, when errors became reserved for certain
 * breakage: pins of 0.1.0 keep the error.
 */
const WAS_ERROR: RuleRecord = {
  since: FIRST_VERSION,
  changes: [
    { version: FIRST_VERSION, presets: ['recommended'], severity: 'error', note: 'error by default' },
    { version: PRESETS_SINCE, presets: ['recommended', 'strict'], severity: 'warning', note: 'a warning: errors are kept for certain breakage' },
  ],
};

const OCI = 'org.opencontainers.image.';
/** The labels `strict` requires: every OCI annotation a Dockerfile author sets (not those tools fill in). */
export const STRICT_LABELS = ['version', 'source', 'revision', 'created', 'title', 'description', 'licenses', 'vendor', 'url', 'documentation', 'authors']
  .map((k) => OCI + k);

/** Every rule id -> its record. A test fails when a registry rule is missing here or an entry names no rule. */
export const RULE_RECORDS: Record<string, RuleRecord> = {
  // compose
  'compose-build-path': V1,
  'compose-depends-on-healthy': V1,
  'compose-env-file-missing': V1,
  'compose-healthcheck-missing': V1,
  'compose-healthcheck-options': OPINION,
  'compose-image-latest': V1,
  'compose-no-new-privileges': OPINION_HINT,
  'compose-port-conflict': V1,
  'compose-privileged': V1,
  'compose-read-only': OPINION_HINT,
  'compose-resource-limits': OPINION,
  'compose-schema': V1,
  'compose-secret-in-env': V1,
  'compose-undeclared-volume': V1,
  'compose-unused-volume': V1,
  'squash-volume-mountpoint': V1,
  // dockerfile
  'add-for-archives': OPINION,
  'apk-no-cache': V1,
  'apk-pin-versions': OPINION,
  'apt-assume-yes': V1,
  'apt-lists-cleanup': V1,
  'apt-no-install-recommends': V1,
  'apt-pin-versions': OPINION,
  'apt-update-alone': V1,
  'base-image-slim': OPINION,
  'buildkit-syntax-directive': OPINION,
  'cache-mount-suggested': OPINION_HINT,
  'cache-order-deps': V1,
  'cd-use-workdir': OPINION,
  'consistent-instruction-casing': V1,
  'copy-dest-trailing-slash': WAS_ERROR,
  'copy-from-link': OPINION_HINT,
  'copy-from-root': V1,
  'copy-from-self': V1,
  'copy-from-unknown-stage': V1,
  'copy-ignored-file': V1,
  'copy-over-add': WAS_ERROR,
  'copy-relative-without-workdir': V1,
  'dnf-assume-yes': V1,
  'dnf-clean': V1,
  'dnf-pin-versions': OPINION,
  'dockerignore-missing': V1,
  'duplicate-stage-name': V1,
  'env-self-reference': WAS_ERROR,
  'exec-form': V1,
  'expose-invalid-format': V1,
  'expose-port-range': V1,
  'expose-proto-casing': V1,
  'from-as-casing': V1,
  'from-platform-flag-const': V1,
  'gem-pin-versions': OPINION,
  'go-pin-versions': OPINION,
  'healthcheck-missing': V1,
  'healthcheck-options': OPINION,
  'healthcheck-tool-missing': V1,
  'heredoc-no-errexit': { since: RULESET_VERSION },
  'image-digest-pin': { since: FIRST_VERSION, opinion: { quiet: 'hint', strict: 'warning' } },
  'image-tag-latest': V1,
  'instruction-before-from': V1,
  'invalid-base-image-platform': V1,
  'invalid-default-arg-in-from': V1,
  'invalid-definition-description': V1,
  'invalid-label-key': V1,
  'label-schema-empty': V1,
  'label-schema-format': V1,
  'label-schema-missing': V1,
  'label-schema-strict': V1,
  'legacy-key-value-format': V1,
  'maintainer-deprecated': V1,
  'multi-stage-build-tools': V1,
  'multiple-instructions-disallowed': V1,
  'no-apt': V1,
  'no-empty-continuation': V1,
  'no-inline-ignore': V1,
  'no-sudo': WAS_ERROR,
  'npm-pin-versions': OPINION,
  'oci-label-arg-scope': V1,
  'oci-labels': {
    since: FIRST_VERSION,
    changes: [
      { version: FIRST_VERSION, presets: ['recommended'], requiredLabels: [`${OCI}version`, `${OCI}source`], note: 'requires the version and source labels' },
      { version: PRESETS_SINCE, presets: ['recommended'], requiredLabels: [`${OCI}version`], note: 'requires the version label only; the others are strict\'s' },
      { version: PRESETS_SINCE, presets: ['strict'], requiredLabels: STRICT_LABELS, note: 'requires every OCI label an author sets' },
    ],
  },
  'onbuild-invalid-trigger': V1,
  'pip-no-cache-dir': V1,
  'pip-version-range': OPINION,
  'pipefail': V1,
  'pragma-invalid': V1,
  'prefer-uv': OPINION_HINT,
  'redundant-target-platform': V1,
  'reserved-stage-name': V1,
  'run-consecutive': OPINION,
  'run-pointless-command': V1,
  'secrets-copied': V1,
  'secrets-in-env-arg': V1,
  'shell-for-ln-sh': V1,
  'squash-stage-drops-config': V1,
  'stage-name-casing': V1,
  'suppression-expired': { since: '0.2.0' },
  'suppression-unused': { since: '0.2.0' },
  'syntax-error': V1,
  'trusted-registries': WAS_ERROR,
  'undefined-arg-in-from': V1,
  'undefined-var': V1,
  'user-non-root': V1,
  'user-numeric': OPINION,
  'useradd-long-uid': V1,
  'wget-and-curl': OPINION,
  'wget-progress': OPINION,
  'workdir-relative-path': V1,
  'yarn-cache-clean': OPINION,
  'yum-assume-yes': V1,
  'yum-clean': V1,
  'yum-pin-versions': OPINION,
  'zypper-assume-yes': V1,
  'zypper-clean': V1,
  'zypper-no-dist-upgrade': V1,
  'zypper-pin-versions': OPINION,
  // dockerignore
  'dockerignore-entries': V1,
  // image
  'image-budget': V1,
  'image-healthcheck': WAS_ERROR,
  'image-non-root': V1,
  'image-oci-version-label': V1,
  'image-secret-env': V1,
  'image-secret-file': V1,
  // trivyignore
  'trivyignore-expired': V1,
  'trivyignore-no-reason': V1,
  'trivyignore-stale': V1,
};

/**
 * hadolint's own default severity of each DL code (its `error`, `warning`, `info`, `style` and `ignore`), which the
 * `hadolint` preset uses. `style` is a hint here and `ignore` is off.
 */
export const HADOLINT_SEVERITY: Record<string, SeveritySetting> = {
  DL1000: 'error', DL1001: 'off',
  DL3000: 'error', DL3001: 'info', DL3002: 'warning', DL3003: 'warning', DL3004: 'error', DL3006: 'warning',
  DL3007: 'warning', DL3008: 'warning', DL3009: 'info', DL3010: 'info', DL3011: 'error', DL3012: 'error',
  DL3013: 'warning', DL3014: 'warning', DL3015: 'info', DL3016: 'warning', DL3018: 'warning', DL3019: 'info',
  DL3020: 'error', DL3021: 'error', DL3022: 'warning', DL3023: 'error', DL3024: 'error', DL3025: 'warning',
  DL3026: 'error', DL3027: 'warning', DL3028: 'warning', DL3029: 'warning', DL3030: 'warning', DL3032: 'warning',
  DL3033: 'warning', DL3034: 'warning', DL3035: 'warning', DL3036: 'warning', DL3037: 'warning', DL3038: 'warning',
  DL3040: 'warning', DL3041: 'warning', DL3042: 'warning', DL3043: 'error', DL3044: 'error', DL3045: 'warning',
  DL3046: 'warning', DL3047: 'info', DL3048: 'hint', DL3049: 'info', DL3050: 'info', DL3051: 'warning',
  DL3052: 'warning', DL3053: 'warning', DL3054: 'warning', DL3055: 'warning', DL3056: 'warning', DL3057: 'off',
  DL3058: 'warning', DL3059: 'info', DL3060: 'info', DL3061: 'error', DL3062: 'warning', DL3063: 'warning',
  DL3064: 'warning', DL3065: 'warning', DL3066: 'info', DL3067: 'warning',
  DL4000: 'error', DL4001: 'warning', DL4003: 'warning', DL4004: 'error', DL4005: 'warning', DL4006: 'warning',
};
