// Reading images through the engine: the local image list, history attributed to Dockerfile lines, inspect
// data, and the `docker save` analysis (wasted bytes, secret files). Read-only: nothing here changes the engine.

import * as path from 'node:path';
import type Docker from 'dockerode';
import type { FileHost } from '../core/fileHost';
import { confinedHost } from '../core/projectScope';
import { parseDockerfile, type ParsedDockerfile } from '../parse/dockerfile';
import type { DockerEngine } from './connection';
import { attributeHistory, type AttributedEntry, type HistoryEntry } from '../model/imageHistory';
import { analyzeSave, saveReader, type SaveAnalysis } from './layers';
import { socketGet } from './socketGet';
import { mapImage, type ImageMapping, type WorkspaceModel } from './workspace';

export interface LocalImage {
  id: string;
  /** Tags, `<none>` ones dropped. */
  tags: string[];
  /** How to name the image to people and the engine: its first tag, else the short id. */
  ref: string;
  /** The image's layers unpacked, in bytes, on either image store (see imageSize). */
  size: number;
  /** Unix seconds. */
  created: number;
  labels: Record<string, string>;
}

export interface AnalyzedImage extends LocalImage {
  mapping: ImageMapping;
  /** History, oldest first, with each entry's Dockerfile instruction when known. */
  layers: AttributedEntry[];
  parsed?: ParsedDockerfile;
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** The per-platform manifests an engine on the containerd image store lists with `manifests=1` (API 1.47 and later). */
interface ImageManifestSummary {
  Kind?: string;
  Available?: boolean;
  ImageData?: { Size?: { Unpacked?: number } };
}

/**
 * An image's size as its layers take it unpacked, the same quantity on both image stores. On the classic store that
 * is `.Size`. On the containerd image store `.Size` is the content size instead (the layer blobs as stored, usually
 * compressed: what a pull transfers), so the unpacked size comes from the image manifest's `ImageData.Size.Unpacked`
 * (its snapshots' disk usage). An image with several platforms unpacked has no single size: `.Size` is kept then.
 */
export function imageSize(i: { Size: number; Manifests?: ImageManifestSummary[] | null }): number {
  const unpacked = (i.Manifests ?? []).filter((m) => m.Kind === 'image' && m.Available && typeof m.ImageData?.Size?.Unpacked === 'number');
  return unpacked.length === 1 ? unpacked[0].ImageData!.Size!.Unpacked! : i.Size;
}

/** Ask for the containerd store's per-platform manifests; engines that do not know the parameter ignore it. */
const WITH_MANIFESTS = { manifests: true } as const;

function toLocal(i: Docker.ImageInfo): LocalImage {
  const tags = (i.RepoTags ?? []).filter((t) => t && t !== '<none>:<none>');
  return { id: i.Id, tags, ref: tags[0] ?? shortId(i.Id), size: imageSize(i as Docker.ImageInfo & { Manifests?: ImageManifestSummary[] }), created: i.Created, labels: i.Labels ?? {} };
}

/** Local images (no intermediate build images), newest first. */
export async function listImages(engine: DockerEngine): Promise<LocalImage[]> {
  const list = await engine.use((d) => d.listImages(WITH_MANIFESTS as Docker.ListImagesOptions));
  return list.map(toLocal).sort((a, b) => b.created - a.created);
}

/** One image by reference or id, or undefined when the engine does not have it. */
export async function findImage(engine: DockerEngine, ref: string): Promise<LocalImage | undefined> {
  try {
    const i = await inspectImage(engine, ref);
    const tags = (i.RepoTags ?? []).filter((t) => t && t !== '<none>:<none>');
    const given = tags.includes(ref) ? ref : tags[0] ?? shortId(i.Id);
    return { id: i.Id, tags, ref: given, size: imageSize(i), created: Math.floor(Date.parse(i.Created) / 1000), labels: i.Config?.Labels ?? {} };
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/** `docker image inspect`, with the containerd store's per-platform manifests (read the size with imageSize). */
export async function inspectImage(engine: DockerEngine, ref: string): Promise<Docker.ImageInspectInfo & { Manifests?: ImageManifestSummary[] }> {
  // dockerode's inspect sends no query parameters: the same request as it makes, with one
  return engine.use((d) => new Promise((resolve, reject) => d.modem.dial({
    path: `/images/${ref}/json?`, method: 'GET', options: WITH_MANIFESTS,
    statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
  }, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as Docker.ImageInspectInfo)))));
}

/** The image history, oldest first. */
export async function imageHistory(engine: DockerEngine, ref: string): Promise<HistoryEntry[]> {
  const raw = await engine.use((d) => d.getImage(ref).history()) as { Id: string; Created: number; CreatedBy: string; Size: number; Comment?: string }[];
  return raw.map((h) => ({ id: h.Id, created: h.Created, createdBy: h.CreatedBy ?? '', size: h.Size ?? 0, comment: h.Comment })).reverse();
}

/** Stream `docker save` and analyse it; memory stays bounded whatever the image size. */
export async function saveAndAnalyze(engine: DockerEngine, ref: string, signal?: AbortSignal): Promise<SaveAnalysis> {
  // a local engine: read the save into one reused buffer (socketGet); TCP, TLS and SSH engines: dockerode's stream
  const local = await engine.use(async (d) => {
    const modem = d.modem as { socketPath?: unknown; protocol?: string; version?: string };
    return typeof modem.socketPath === 'string' && modem.protocol !== 'ssh' ? { socket: modem.socketPath, version: modem.version } : undefined;
  });
  if (local) {
    const reader = saveReader(signal);
    const url = `${local.version ? `/${local.version}` : ''}/images/${ref}/get`;
    await engine.use(() => socketGet(local.socket, url, reader, signal));
    return reader.finish();
  }
  const stream = await engine.use((d) => d.getImage(ref).get());
  const abort = () => (stream as unknown as { destroy?: (e?: Error) => void }).destroy?.(new Error('cancelled'));
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await analyzeSave(stream as unknown as NodeJS.ReadableStream, signal);
  } finally {
    signal?.removeEventListener('abort', abort);
    (stream as unknown as { destroy?: () => void }).destroy?.();
  }
}

/**
 * Parse a Dockerfile through the host (open editors win over the disk); undefined when it cannot be read. Compose
 * files, budgets and image labels name it, so it is read only inside the workspace folder `within`.
 */
export async function readDockerfile(host: FileHost, file: string | undefined, within?: string): Promise<ParsedDockerfile | undefined> {
  if (!file) return undefined;
  const r = await (within ? confinedHost(host, within, new Map()) : host).read(file, 'dockerfile');
  return r.ok ? parseDockerfile(r.text) : undefined;
}

/** An image with its mapping to the workspace and its history attributed to Dockerfile lines. */
export async function analyzeImage(engine: DockerEngine, model: WorkspaceModel, host: FileHost, image: LocalImage,
  parses?: Map<string, Promise<ParsedDockerfile | undefined>>): Promise<AnalyzedImage> {
  const mapping = mapImage(model, image.tags, image.labels);
  let parsed: ParsedDockerfile | undefined;
  if (mapping.dockerfile) {
    // one parse per Dockerfile per request, however many images come from it
    const key = path.resolve(mapping.dockerfile);
    let p = parses?.get(key);
    if (!p) { p = readDockerfile(host, key, model.folder); parses?.set(key, p); }
    parsed = await p;
  }
  const history = await imageHistory(engine, image.id);
  return { ...image, mapping, layers: attributeHistory(history, parsed, mapping.target), parsed };
}
