// Facts about files around the linted one, gathered asynchronously before the (synchronous) rules run.

import type { ComposeFacts } from './composeFacts';
import type { BuildLabels } from './buildLabels';
import type { ImagePublication } from './imagePublication';
import type { ProjectImages } from './projectImages';

export interface DockerfileFacts {
  /** The ignore file that applies to this Dockerfile's build context, if any. */
  dockerignore?: { path: string; text: string } | null;
  /** The build context folder (absolute or as given); undefined for stdin/unsaved files. */
  contextDir?: string;
  /**
   * Text of the build-context files that rules judge by content (COPY sources whose name looks secret), keyed
   * by the source as written. A source missing from the map is unknown (not in the context, unreadable, too big).
   */
  contextFiles?: ReadonlyMap<string, string>;
  /** For Dockerfiles: the OCI labels the project's build supplies (workflows, Makefiles, scripts, bake and compose files); undefined when none. */
  buildLabels?: BuildLabels;
  /** For Dockerfiles: whether the project publishes the image (an official-image repository, a build that pushes it); undefined when not looked for. */
  publication?: ImagePublication;
  /** For Dockerfiles: the text of the entrypoint scripts the final image runs, read from the build context, keyed by their path in it. */
  entrypointScripts?: ReadonlyMap<string, string>;
  /** For Dockerfiles: where the project runs the image with the engine socket mounted (a phrase for messages), if it does. */
  engineSocket?: string;
  /** For Dockerfiles: the images the project builds or publishes itself (so a base among them follows the project's own build). */
  projectImages?: ProjectImages;
  /** For ignore files: names of the entries in the same folder (ecosystem detection); undefined when unknown. */
  siblings?: string[];
  /** For compose files: the Dockerfiles, env files and sibling compose files around it. */
  compose?: ComposeFacts;
  /** For Trivy ignore files: what the workspace's reports contain, and today's date. */
  trivy?: TrivyignoreFacts;
}

/** Facts for `.trivyignore` rules, gathered from the Trivy reports next to the ignore file. */
export interface TrivyignoreFacts {
  /** Every id found in the reports; undefined when no report was found (staleness is then unknown). */
  ids?: Set<string>;
  /** Which kinds of scan the reports cover (an id of a kind never scanned cannot be judged stale). */
  scanned?: Set<'vulnerability' | 'misconfiguration' | 'secret' | 'license'>;
  /** The report files read, for messages. */
  reports?: string[];
  /** Today as YYYY-MM-DD (UTC), injectable for tests through HULLCHECK_TODAY. */
  today: string;
}
