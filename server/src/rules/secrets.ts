// What looks like a secret: variable names (ENV/ARG, compose environment) and file names (COPY/ADD sources).
// Shared so the Dockerfile, compose and image checks agree on one definition.

import { makePattern } from '../parse/ignoreMatch';
import { replaceVariables, trimTrailing } from '../core/strings';

/** Name parts that mark a secret on their own (BuildKit's SecretsUsedInArgOrEnv list, minus the bare `key`). */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pword', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'auth',
]);

/** Words that make a following `KEY` secret anywhere in the name: API_KEY, AWS_ACCESS_KEY_ID, SSH_PRIVATE_KEY. */
const KEY_QUALIFIERS = new Set(['api', 'private', 'access', 'secret', 'signing', 'encryption', 'master', 'ssh', 'client', 'license', 'auth', 'session']);
/** A trailing `KEY` is secret (STRIPE_KEY) unless these words say it is public or not a credential (GPG_KEY holds a fingerprint). */
const PLAIN_KEY_QUALIFIERS = new Set(['gpg', 'pgp', 'gnupg', 'public', 'pub', 'cache', 'sort', 'partition', 'primary', 'foreign', 'routing', 'idempotency', 'lookup', 'group']);

/**
 * Name parts that say the variable holds something *about* a secret, not the secret: a path to a
 * secret file (`PASSWORD_FILE`, the convention of official images), a URL, a version, a switch.
 */
const NOT_A_VALUE = new Set([
  'file', 'files', 'path', 'dir', 'url', 'uri', 'endpoint', 'host', 'port', 'version', 'public', 'name', 'enabled',
  'disabled', 'enable', 'disable', 'required', 'mode', 'type', 'method', 'provider', 'ttl', 'timeout', 'expiry',
  'expires', 'lifetime', 'length', 'location', 'scheme', 'realm', 'issuer', 'audience',
]);

/**
 * Last name parts that say an AUTH/KEY/TOKEN variable configures the mechanism rather than holding the secret:
 * a role, a user name, a mode or a policy (`GF_AUTH_ANONYMOUS_ORG_ROLE`, `LDAP_AUTH_USER`, `TOKEN_ALGORITHM`).
 * Only at the end: `DB_USER_PASSWORD` is still a password.
 */
const CONFIGURES_LAST = new Set([
  'role', 'roles', 'user', 'username', 'login', 'email', 'header', 'scope', 'scopes', 'level', 'strategy', 'policy',
  'algorithm', 'alg', 'format', 'prefix', 'backend', 'backends', 'plugin', 'plugins', 'form', 'field', 'claim', 'group', 'groups',
  'org', 'store', 'source', 'kind', 'size', 'bits', 'count', 'interval', 'retries', 'attempts', 'hint', 'label',
]);

/** Split `NPM_TOKEN`, `npm-token`, `npmToken` into lower-case parts. */
export function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.]+/)
    .filter(Boolean)
    .map((p) => p.toLowerCase());
}

/** Whether a variable name looks like it holds a secret value. */
export function isSecretName(name: string): boolean {
  const parts = nameParts(name);
  if (parts.length === 0) return false;
  if (parts.some((p) => NOT_A_VALUE.has(p)) || CONFIGURES_LAST.has(parts[parts.length - 1])) return false;
  return parts.some((p, i) => {
    if (SECRET_WORDS.has(p)) return true;
    if (p !== 'key') return false;
    if (i === 0) return parts.length === 1;
    if (KEY_QUALIFIERS.has(parts[i - 1])) return true;
    return i === parts.length - 1 && !PLAIN_KEY_QUALIFIERS.has(parts[i - 1]);
  });
}

/** A value that is only a variable reference (`$FOO`, `${FOO}`, `${FOO:-}`) carries no literal secret. */
export function isLiteralValue(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  const stripped = replaceVariables(value, '', true).replace(/^["']|["']$/g, '').trim();
  return stripped !== '';
}

/**
 * Whether a literal value can be a secret: not a variable reference, and not a switch, a small number, `none`
 * or an absolute path (`/run/secrets/db`, the file that holds the secret). A weak password is still a secret.
 */
export function isSecretValue(value: string | null | undefined): boolean {
  if (!isLiteralValue(value)) return false;
  const v = value!.trim().replace(/^["']|["']$/g, '').trim();
  return !/^(true|false|yes|no|on|off|none|null|nil|enabled?|disabled?|\d{1,6})$/i.test(v) && !/^\/[\w./-]*$/.test(v);
}

/** Values that only stand in for a secret (test fixtures, templates, sentinels such as `**None**`). */
const PLACEHOLDER = /^(|changeme|change-me|change_me|dummy|test|example|placeholder|none|null|xxx+|\*+|<[^>]*>)$|not-real|do-not-use|placeholder|example/i;

/** A value with its quotes and the markers around a placeholder word (`**None**`, `__CHANGE_ME__`) removed. */
function placeholderWord(value: string): string {
  const v = value.trim().replace(/^["']|["']$/g, '').trim();
  // a scan, not an end-anchored pattern, which would be quadratic on a long run of markers
  let a = 0, b = v.length;
  while (a < b && '*_{['.includes(v[a])) a++;
  while (b > a && '*_}]'.includes(v[b - 1])) b--;
  return v.slice(a, b);
}

/** Whether a literal value only stands in for a secret that is supplied elsewhere (fixtures, templates). */
export function isPlaceholderValue(value: string): boolean {
  return PLACEHOLDER.test(value.trim().replace(/^["']|["']$/g, '').trim()) || PLACEHOLDER.test(placeholderWord(value));
}

/**
 * Whether a value says "no secret here" (`**None**`, `null`, `<token>`), unlike a weak default such as `changeme`,
 * which the image really uses when nobody overrides it.
 */
export function isAbsentValue(value: string): boolean {
  const w = placeholderWord(value);
  return /^(none|null|nil)$/i.test(w) || /^<[^<>]*>$/.test(w);
}

/** Mask a secret for display: keep a short prefix only when the value is long enough to stay secret. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `${value.slice(0, 3)}***` : '***';
}

const TEMPLATE_ENV = /^\.env\.(example|sample|template|dist|defaults)$/i;
/** PEM files that hold certificates or Diffie-Hellman parameters, which are public by design. */
const CERT_WORDS = /(^|[-_.])(ca|cacert|cert|certs|certificate|chain|fullchain|bundle|pub|public|dhparams?|dh\d*|ffdhe\d+)([-_.]|$)/i;

/** Why a file (by its context path) looks like a secret, or undefined. */
export function secretFileReason(path: string): string | undefined {
  const clean = trimTrailing(path.replace(/\\/g, '/'), '/');
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower.startsWith('.env') && !TEMPLATE_ENV.test(lower) && /^\.env(rc|\..+)?$/.test(lower)) return 'an environment file';
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(lower)) return 'a private SSH key';
  if (lower === '.ssh') return 'an SSH key folder';
  if (lower.endsWith('.pem') && !CERT_WORDS.test(lower.slice(0, -4))) return 'a PEM key file';
  if (lower.endsWith('.key')) return 'a private key';
  if (lower.endsWith('.p12') || lower.endsWith('.pfx')) return 'a PKCS#12 key store';
  if (lower === '.npmrc' || lower === '.pypirc' || lower === '.netrc' || lower === '.git-credentials') return 'a credentials file';
  if (lower === 'credentials' || lower === 'credentials.json') return 'a credentials file';
  if (/(^|\/)\.docker\/config\.json$/i.test(clean)) return 'a Docker credentials file';
  return undefined;
}

/** Names a glob is tried against: one per kind of secret file. */
const SAMPLES = ['.env', '.env.local', '.env.production', 'id_rsa', 'id_ed25519', 'server.key', 'privkey.pem', 'cert.p12', '.npmrc', '.pypirc', '.netrc', 'credentials.json'];
/** Literal text a glob must contain to be an obvious secret match (`*.json` alone is not). */
const MARKERS = ['.env', 'id_rsa', 'id_ed25519', 'id_ecdsa', '.pem', '.key', '.p12', '.pfx', 'npmrc', 'pypirc', 'netrc', 'credentials'];

/** For a wildcard source such as `.env*` or `*.pem`: the kind of secret it obviously copies, or undefined. */
export function secretGlobReason(glob: string): string | undefined {
  const clean = trimTrailing(glob, '/');
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  const literal = base.replace(/[*?]|\[[^\]]*\]/g, '').toLowerCase();
  if (!MARKERS.some((m) => literal.includes(m))) return undefined;
  const p = makePattern(base, false);
  for (const sample of SAMPLES) {
    if (p.test(sample)) return secretFileReason(sample);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// File content: whether a secret-looking file actually carries a credential

/** Reasons for which the name alone is near-certain: private key material. */
export const KEY_FILE_REASONS = new Set(['a private SSH key', 'an SSH key folder', 'a PEM key file', 'a private key', 'a PKCS#12 key store']);

/** Keys of credential files whose value is the credential, beyond the names `isSecretName` knows. */
const CREDENTIAL_KEYS = new Set(['_auth', 'identitytoken', 'npmauthident', 'password']);
/** `key = value`, `key: value`, `"key": "value"` and npm's `//registry/:_authToken=value`. */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?(?:\/\/[^\s=]*:)?([A-Za-z_][\w.-]*)["']?\s*[=:]\s*(.*?)\s*,?\s*$/;

/** `user:password@` right after a URL's `://`. */
const URL_CREDENTIALS = /[^\s/:@]+:[^\s/@$]+@/y;
const SCHEME_CHAR = /^[a-z0-9+.-]$/i;

/** Whether a line holds a URL with a password (`https://user:token@host`): checked from each `://` in one pass. */
function urlWithPassword(line: string): boolean {
  for (let at = line.indexOf('://'); at >= 0; at = line.indexOf('://', at + 3)) {
    // the scheme is the run of scheme characters before `://`, from a letter on
    let letter = false;
    for (let i = at - 1; i >= 0 && SCHEME_CHAR.test(line[i]); i--) if (/[a-z]/i.test(line[i])) { letter = true; break; }
    if (!letter) continue;
    URL_CREDENTIALS.lastIndex = at + 3;
    if (URL_CREDENTIALS.test(line)) return true;
  }
  return false;
}

/** Why a file's text carries a credential (`an _authToken`, `a private key`), or undefined when it carries none. */
export function credentialInText(text: string): string | undefined {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return 'a private key';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(line)) continue;
    // .netrc: `machine host login user password secret`
    const netrc = /(?:^|\s)password\s+(\S+)/.exec(line);
    if (netrc && isLiteralValue(netrc[1])) return 'a password';
    // .git-credentials and URLs with a password: `https://user:token@host`
    if (urlWithPassword(line)) return 'a URL with a password';
    const m = ASSIGNMENT.exec(line);
    if (!m) continue;
    const key = m[1];
    const value = m[2].replace(/^["']|["']$/g, '');
    // `always-auth=true`, `"auths": {`: switches, numbers and nested objects are not credentials
    if (!isSecretValue(value) || value === '{' || value === '[') continue;
    if (CREDENTIAL_KEYS.has(key.toLowerCase()) || isSecretName(key)) return `a value for \`${key}\``;
  }
  return undefined;
}
