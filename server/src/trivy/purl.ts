// Package URLs as VEX documents and Trivy reports use them (`pkg:type/namespace/name@version?qualifiers#subpath`),
// and the OCI purl that names a container image by its repository (`pkg:oci/api?repository_url=ghcr.io%2Facme%2Fapi`).

export interface Purl {
  type: string;
  namespace: string;
  name: string;
  version: string;
  qualifiers: Map<string, string>;
}

const decode = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };

/** A parsed purl, or undefined when the text is not one. */
export function parsePurl(text: string): Purl | undefined {
  const m = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\/([^?#]+?)(?:\?([^#]*))?(?:#.*)?$/.exec(text.trim());
  if (!m) return undefined;
  let rest = m[2];
  let version = '';
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) { version = decode(rest.slice(at + 1)); rest = rest.slice(0, at); }
  const parts = rest.split('/').filter(Boolean).map(decode);
  const name = parts.pop();
  if (!name) return undefined;
  const qualifiers = new Map<string, string>();
  for (const q of (m[3] ?? '').split('&').filter(Boolean)) {
    const eq = q.indexOf('=');
    if (eq > 0) qualifiers.set(q.slice(0, eq).toLowerCase(), decode(q.slice(eq + 1)));
  }
  return { type: m[1].toLowerCase(), namespace: parts.join('/'), name, version, qualifiers };
}

/**
 * Whether `want` (a VEX product or subcomponent) names `have` (a finding's package): same type, namespace and name,
 * the same version when `want` gives one, and every qualifier `want` gives. Names compare case-insensitively for
 * the ecosystems whose names are (deb, rpm, apk, npm, pypi, oci), exactly otherwise.
 */
export function purlCovers(want: Purl, have: Purl): boolean {
  const folded = ['deb', 'rpm', 'apk', 'npm', 'pypi', 'oci', 'alpm'].includes(want.type);
  const eq = (a: string, b: string) => (folded ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (want.type !== have.type || !eq(want.namespace, have.namespace) || !eq(want.name, have.name)) return false;
  if (want.version && want.version !== have.version) return false;
  for (const [k, v] of want.qualifiers) {
    const h = have.qualifiers.get(k);
    if (h === undefined || (k === 'repository_url' ? normalizeRepository(h) !== normalizeRepository(v) : h !== v)) return false;
  }
  return true;
}

/**
 * The repository of an image reference, fully qualified as Trivy writes it in OCI purls: `alpine:3.20` →
 * `index.docker.io/library/alpine`, `ghcr.io/acme/api:1.2@sha256:…` → `ghcr.io/acme/api`. Lower case.
 */
export function normalizeRepository(ref: string): string {
  let r = ref.trim().replace(/@[A-Za-z0-9+._-]+:[0-9a-fA-F]+$/, '');
  // a tag has no '/', so a registry port (`localhost:5000/api`) is never taken for one
  r = r.replace(/:[\w][\w.-]{0,127}$/, '');
  const parts = r.split('/');
  const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  let domain = hasDomain ? parts.shift()! : 'index.docker.io';
  if (domain === 'docker.io' || domain === 'registry-1.docker.io') domain = 'index.docker.io';
  if (domain === 'index.docker.io' && parts.length === 1) parts.unshift('library');
  return `${domain}/${parts.join('/')}`.toLowerCase();
}

/** The digest of a reference (`…@sha256:abc`), if it has one. */
export function referenceDigest(ref: string): string | undefined {
  return /@([A-Za-z0-9+._-]+:[0-9a-fA-F]+)$/.exec(ref.trim())?.[1];
}

/** The version-less OCI purl of an image repository (every tag and digest of it), the qualifier percent-encoded. */
export function ociPurl(repository: string): string {
  const name = repository.split('/').pop()!;
  return `pkg:oci/${encodeURIComponent(name)}?repository_url=${encodeURIComponent(repository)}`;
}

/** The purl without its version and qualifiers (`pkg:deb/debian/bash@5.0-4?arch=amd64` → `pkg:deb/debian/bash`). */
export function purlBase(text: string): string {
  return text.split(/[?#]/)[0].replace(/@[^/]*$/, '');
}
