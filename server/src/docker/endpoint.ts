// Where the Docker engine is: an explicit host (the `hullcheck.docker.host` setting), else DOCKER_HOST, else the
// current docker context (DOCKER_CONTEXT or ~/.docker/config.json currentContext and its meta.json), else the
// platform's default socket. Produces dockerode options plus a description for the user.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { nodeHost, READ_LIMITS } from '../core/fileHost';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DockerOptions } from 'dockerode';

export interface Endpoint {
  /** The host as the user would write it (`unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`). */
  host: string;
  /** Where it came from: `setting`, `DOCKER_HOST`, `context <name>` or `default`. */
  source: string;
  options: DockerOptions;
}

export interface EndpointInput {
  /** An explicit host; wins over everything else. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** Home folder holding `.docker/` (tests point this elsewhere). */
  home?: string;
}

/** The host string cannot be used (bad scheme or URL). */
export class HostError extends Error {}

export const DEFAULT_HOST = process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';

/** The docker CLI's own files (~/.docker): the user's, so read wherever they are, through the one file host. */
async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  const r = await nodeHost.read(file, 'config', { userChosen: true });
  try { return r.ok ? JSON.parse(r.text) as Record<string, unknown> : undefined; } catch { return undefined; }
}

/** TLS material is binary, so it is read as bytes; the same checks apply first: a regular file of at most 1 MB. */
async function readOptional(file: string): Promise<Buffer | undefined> {
  if ((await nodeHost.kind(file)) !== 'file') return undefined;
  try {
    const st = await stat(file);
    return st.size <= READ_LIMITS.config ? await readFile(file) : undefined;
  } catch { return undefined; }
}

/** Resolve the engine endpoint following the docker CLI's precedence. */
export async function resolveEndpoint(input: EndpointInput = {}): Promise<Endpoint> {
  const env = input.env ?? process.env;
  if (input.host?.trim()) return { host: input.host.trim(), source: 'setting', options: await hostOptions(input.host.trim(), env) };
  if (env.DOCKER_HOST?.trim()) return { host: env.DOCKER_HOST.trim(), source: 'DOCKER_HOST', options: await hostOptions(env.DOCKER_HOST.trim(), env) };
  const configDir = env.DOCKER_CONFIG || path.join(input.home ?? os.homedir(), '.docker');
  const config = await readJson(path.join(configDir, 'config.json'));
  const name = env.DOCKER_CONTEXT || (typeof config?.currentContext === 'string' ? config.currentContext : undefined);
  if (name && name !== 'default') {
    const id = createHash('sha256').update(name).digest('hex');
    const meta = await readJson(path.join(configDir, 'contexts', 'meta', id, 'meta.json'));
    const docker = (meta?.Endpoints as Record<string, { Host?: string; SkipTLSVerify?: boolean }> | undefined)?.docker;
    if (!docker?.Host) throw new HostError(`The docker context "${name}" has no docker endpoint (looked in ${path.join(configDir, 'contexts', 'meta', id)}).`);
    const options = await hostOptions(docker.Host, env);
    const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
    const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((f) => readOptional(path.join(tlsDir, f))));
    if (cert && key && options.protocol !== 'ssh' && !options.socketPath) Object.assign(options, { protocol: 'https', ca, cert, key });
    return { host: docker.Host, source: `context ${name}`, options };
  }
  return { host: DEFAULT_HOST, source: 'default', options: await hostOptions(DEFAULT_HOST, env) };
}

/** dockerode options for one host string. */
export async function hostOptions(host: string, env: NodeJS.ProcessEnv = process.env): Promise<DockerOptions> {
  if (host.startsWith('/')) return { socketPath: host };
  let url: URL;
  try { url = new URL(host); } catch { throw new HostError(`"${host}" is not a Docker host (expected unix:///path, tcp://host:port or ssh://user@host).`); }
  switch (url.protocol) {
    case 'unix:':
      if (!url.pathname) throw new HostError(`"${host}" names no socket path.`);
      return { socketPath: decodeURIComponent(url.pathname) };
    case 'npipe:':
      return { socketPath: decodeURIComponent(host.slice('npipe://'.length)).replace(/\//g, '\\') };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      if (!url.hostname) throw new HostError(`"${host}" names no host.`);
      const tls = url.protocol === 'https:' || (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0');
      const options: DockerOptions = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || (tls ? 2376 : 2375), protocol: tls ? 'https' : 'http' };
      if (tls && env.DOCKER_CERT_PATH) {
        const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((f) => readOptional(path.join(env.DOCKER_CERT_PATH!, f))));
        Object.assign(options, { ca, cert, key });
      }
      return options;
    }
    case 'ssh:':
      if (!url.hostname) throw new HostError(`"${host}" names no host.`);
      return { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined } as DockerOptions;
    default:
      throw new HostError(`"${host}" uses an unsupported scheme ${url.protocol} (use unix://, tcp:// or ssh://).`);
  }
}
