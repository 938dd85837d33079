// Container health through the engine: containers grouped by compose project, their health state, failing
// streak, healthcheck config and latest probe runs; plus read-only logs and a restart the user confirmed.

import type Docker from 'dockerode';
import type { ContainerHealthItem, ProbeRun } from '../protocol/dockerMessages';
import type { DockerEngine } from './connection';

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';

/** Nanoseconds (the engine's unit) as `30s`, `1m30s`. */
export function nsToDuration(ns: number | undefined): string | undefined {
  if (!ns) return undefined;
  const s = ns / 1e9;
  if (s < 60) return `${+s.toFixed(3)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${+(s - m * 60).toFixed(3) || ''}${s - m * 60 ? 's' : ''}`;
}

export function toHealthItem(info: Docker.ContainerInspectInfo): ContainerHealthItem {
  const health = (info.State as { Health?: { Status?: string; FailingStreak?: number; Log?: { Start: string; End: string; ExitCode: number; Output: string }[] } }).Health;
  const hc = (info.Config as { Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } }).Healthcheck;
  const status = health?.Status;
  const runs: ProbeRun[] = (health?.Log ?? []).map((l) => ({ start: l.Start, end: l.End, exitCode: l.ExitCode, output: l.Output.trim() })).reverse();
  const hasCheck = !!hc?.Test?.length && hc.Test[0] !== 'NONE';
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    state: info.State.Status,
    health: status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none',
    failingStreak: health?.FailingStreak ?? 0,
    service: info.Config.Labels?.[SERVICE_LABEL],
    healthcheck: hasCheck ? { test: hc!.Test!, interval: nsToDuration(hc!.Interval), timeout: nsToDuration(hc!.Timeout), startPeriod: nsToDuration(hc!.StartPeriod), retries: hc!.Retries } : undefined,
    runs,
  };
}

/** Every container (running or not), grouped by compose project; projects sorted, loose containers last. */
export async function listHealth(engine: DockerEngine): Promise<{ project: string | null; containers: ContainerHealthItem[] }[]> {
  const list = await engine.use((d) => d.listContainers({ all: true }));
  const items: { project: string | null; item: ContainerHealthItem }[] = [];
  for (const c of list) {
    try {
      const info = await engine.use((d) => d.getContainer(c.Id).inspect());
      items.push({ project: c.Labels?.[PROJECT_LABEL] ?? null, item: toHealthItem(info) });
    } catch (e) {
      // removed between list and inspect: it is simply gone
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
  }
  const groups = new Map<string | null, ContainerHealthItem[]>();
  for (const { project, item } of items) groups.set(project, [...(groups.get(project) ?? []), item]);
  const rank = { unhealthy: 0, starting: 1, healthy: 2, none: 3 };
  return [...groups].map(([project, containers]) => ({
    project,
    containers: containers.sort((a, b) => rank[a.health] - rank[b.health] || a.name.localeCompare(b.name)),
  })).sort((a, b) => (a.project === null ? 1 : b.project === null ? -1 : a.project.localeCompare(b.project)));
}

/** The last lines of a container's logs, stdout and stderr demultiplexed (read-only). */
export async function containerLogs(engine: DockerEngine, id: string, tail = 500): Promise<{ text: string; truncated: boolean }> {
  const info = await engine.use((d) => d.getContainer(id).inspect());
  const raw = await engine.use((d) => d.getContainer(id).logs({ stdout: true, stderr: true, tail, timestamps: true, follow: false })) as unknown as Buffer;
  const text = info.Config.Tty ? raw.toString('utf8') : demux(raw);
  return { text, truncated: text.split('\n').length >= tail };
}

/** Undo the engine's 8-byte frame headers of non-TTY log streams. */
export function demux(buf: Buffer): string {
  const parts: string[] = [];
  let pos = 0;
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos + 4);
    parts.push(buf.subarray(pos + 8, pos + 8 + len).toString('utf8'));
    pos += 8 + len;
  }
  return parts.join('');
}

/** Restart one container; the only state-changing call Hullcheck makes, and only after the user confirmed. */
export async function restartContainer(engine: DockerEngine, id: string, confirmed: boolean): Promise<{ ok: boolean; error?: string }> {
  if (!confirmed) return { ok: false, error: 'Restarting a container needs the user\'s confirmation.' };
  try {
    await engine.use((d) => d.getContainer(id).restart({ t: 10 }));
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
