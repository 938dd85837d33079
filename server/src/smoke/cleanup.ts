// Teardown of one smoke project: `compose down` for containers, networks and built images, then a sweep by the
// project label for anything Compose left, and removal of the volumes this run created — never a volume that
// existed before the run started.

import type { DockerEngine } from '../docker/connection';
import { PROJECT_LABEL, SMOKE_LABEL, type ComposeProject } from './compose';
import type { SmokeTeardown } from '../protocol/smokeTypes';

/** Names of every volume on the engine now (taken before the stack starts). */
export async function snapshotVolumes(engine: DockerEngine): Promise<Set<string>> {
  const r = await engine.use((d) => d.listVolumes()) as { Volumes?: { Name: string }[] | null };
  return new Set((r.Volumes ?? []).map((v) => v.Name));
}

/** Volumes of the project that did not exist before: labelled by Compose, or anonymous ones our containers used. */
export async function newProjectVolumes(engine: DockerEngine, project: string, before: Set<string>, anonymous: Set<string>): Promise<string[]> {
  const r = await engine.use((d) => d.listVolumes({ filters: { label: [`${PROJECT_LABEL}=${project}`] } })) as { Volumes?: { Name: string; Labels?: Record<string, string> | null }[] | null };
  const names = new Set<string>();
  for (const v of r.Volumes ?? []) if (v.Labels?.[PROJECT_LABEL] === project && !before.has(v.Name)) names.add(v.Name);
  for (const a of anonymous) if (!before.has(a)) names.add(a);
  return [...names].sort();
}

/** Anonymous volumes mounted by the project's containers (Compose does not label them). */
export async function anonymousVolumes(engine: DockerEngine, project: string): Promise<Set<string>> {
  const out = new Set<string>();
  const list = await engine.use((d) => d.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } }));
  for (const c of list) {
    for (const m of (c.Mounts ?? []) as { Type?: string; Name?: string }[]) {
      // an anonymous volume has a 64-hex name; named volumes are found through their labels instead
      if (m.Type === 'volume' && m.Name && /^[0-9a-f]{64}$/.test(m.Name)) out.add(m.Name);
    }
  }
  return out;
}

async function attempt(problems: string[], what: string, fn: () => Promise<unknown>): Promise<void> {
  try { await fn(); } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return;
    problems.push(`${what}: ${(e as Error).message}`);
  }
}

/** Remove everything of the project; problems are collected, never thrown, so a failed step does not stop the rest. */
export async function teardown(engine: DockerEngine, compose: ComposeProject, before: Set<string>, anonymous: Set<string>): Promise<SmokeTeardown> {
  const problems: string[] = [];
  const project = compose.project;
  await attempt(problems, 'listing anonymous volumes', async () => { for (const a of await anonymousVolumes(engine, project)) anonymous.add(a); });
  const down = await compose.run(['down', '--remove-orphans', '--rmi', 'local', '-t', '2']);
  if (down.code !== 0) problems.push(`compose down exited with ${down.code}: ${lastLines(down.output, 5)}`);
  // sweep what down missed (a container created while `up` was being killed); all of it carries the unique name
  await attempt(problems, 'removing containers', async () => {
    const left = await engine.use((d) => d.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } }));
    for (const c of left) await attempt(problems, `removing container ${c.Id.slice(0, 12)}`, () => engine.use((d) => d.getContainer(c.Id).remove({ force: true, v: false })));
  });
  await attempt(problems, 'removing networks', async () => {
    const nets = await engine.use((d) => d.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${project}`] } }));
    for (const n of nets) await attempt(problems, `removing network ${n.Name}`, () => engine.use((d) => d.getNetwork(n.Id).remove()));
  });
  const removedVolumes: string[] = [];
  await attempt(problems, 'removing volumes', async () => {
    for (const v of await newProjectVolumes(engine, project, before, anonymous)) {
      await attempt(problems, `removing volume ${v}`, async () => { await engine.use((d) => d.getVolume(v).remove()); removedVolumes.push(v); });
    }
  });
  await compose.dispose();
  return { skipped: false, removedVolumes, problems, command: problems.length ? compose.cleanupCommand([]) : undefined };
}

/** Is `project` the name of a Compose project with running containers that are not from a smoke run? */
export async function clashesWithRunningProject(engine: DockerEngine, project: string): Promise<boolean> {
  const list = await engine.use((d) => d.listContainers({ filters: { label: [`${PROJECT_LABEL}=${project}`] } }));
  return list.some((c) => !c.Labels?.[SMOKE_LABEL]);
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
