// Workspace trust in the server, and the one gate in front of everything that runs a program or reaches the
// Docker engine. The client says whether the workspace is trusted when it starts the server and when trust is
// granted; until then ShellCheck, Trivy and Compose do not run and no engine is created.

import { DockerEngine, type EngineOptions } from '../docker/connection';
import { resolveExecutable } from '../core/executables';

export const UNTRUSTED_REASON = 'Hullcheck does not run programs or contact the Docker engine until this workspace is trusted.';

export class UntrustedWorkspaceError extends Error {
  constructor() { super(UNTRUSTED_REASON); }
}

export class WorkspaceTrust {
  private listeners: (() => void)[] = [];

  /** `trusted` is the client's word at initialization; a client that says nothing has no trust model and is trusted. */
  constructor(private readonly folders: () => string[], private current = true) {}

  get trusted(): boolean {
    return this.current;
  }

  /** Record the client's word; listeners run when the workspace becomes trusted. */
  set(trusted: boolean): void {
    const granted = trusted && !this.current;
    this.current = trusted;
    if (granted) for (const l of this.listeners) l();
  }

  onGranted(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Folders whose PATH entries never count: every workspace folder. */
  untrustedRoots(): string[] {
    return this.folders();
  }

  /** The engine for a feature, or UntrustedWorkspaceError: no socket is opened for an untrusted workspace. */
  engine(options: EngineOptions): DockerEngine {
    if (!this.current) throw new UntrustedWorkspaceError();
    return new DockerEngine(options);
  }

  /** An executable from trusted PATH entries (or an absolute user setting), or undefined; never in an untrusted workspace. */
  async executable(name: string): Promise<string | undefined> {
    if (!this.current) throw new UntrustedWorkspaceError();
    return resolveExecutable(name, { untrustedRoots: this.untrustedRoots() });
  }
}
