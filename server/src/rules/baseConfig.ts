// What the linter knows, without a registry, about the runtime config a base image passes on (its USER and
// HEALTHCHECK): scratch and Docker's official images are known; a third-party image may set either, so the
// rules that judge the final image's config word their finding as unknown there.

import { isOfficialImage, parseImageRef } from '../model/dockerfile/imageRefs';
import type { ImageView } from '../model/dockerfile/imageViews';

export interface BaseConfig {
  /** Whether the image switches to a non-root user. */
  nonRootUser: boolean;
  /** Whether the image declares a HEALTHCHECK (no official image does: their policy leaves it to the user). */
  healthcheck: boolean;
}

/** Official images whose Dockerfile ends on a non-root USER. */
const OFFICIAL_NON_ROOT = new Set(['haproxy', 'elasticsearch', 'kibana', 'logstash', 'solr', 'sonarqube', 'jenkins', 'znc']);

/**
 * The reference with a variable tag or digest read as `latest` (`alpine:${VERSION}` is an alpine image whatever the
 * build passes, and an official image's USER and HEALTHCHECK do not vary by tag); a variable before the tag (in the
 * registry, path or name) leaves the image unknown: '' then.
 */
function fixedName(ref: string): string {
  const dollar = ref.indexOf('$');
  if (dollar < 0) return ref;
  const before = ref.slice(0, dollar);
  const tagStart = before.indexOf(':', before.lastIndexOf('/') + 1);
  const digest = before.indexOf('@');
  const end = digest >= 0 ? digest : tagStart;
  return end > 0 ? `${before.slice(0, end)}:latest` : '';
}

/** The config of a base image reference when it is known, else undefined. */
export function knownBaseConfig(image: string): BaseConfig | undefined {
  const lower = image.trim().toLowerCase();
  if (lower === 'scratch') return { nonRootUser: false, healthcheck: false };
  const ref = parseImageRef(fixedName(lower));
  if (!ref) return undefined;
  // distroless images are root unless their tag says nonroot
  if (ref.registry === 'gcr.io' && ref.path.startsWith('distroless/')) return { nonRootUser: /nonroot/.test(ref.tag ?? ''), healthcheck: false };
  if (!isOfficialImage(ref, ref.name)) return undefined;
  return { nonRootUser: OFFICIAL_NON_ROOT.has(ref.name), healthcheck: false };
}

/**
 * The base whose config the final image inherits: the image at the bottom of its `FROM <stage>` chain (a
 * `FROM scratch` squash keeps no config of its source, so scratch it is).
 */
export function configBase(view: ImageView): string {
  return view.configStages[0].image;
}
