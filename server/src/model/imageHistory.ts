// Maps an image's history (GET /images/{name}/history) back to the Dockerfile instructions that produced each
// entry: CreatedBy strings of the classic builder and of BuildKit are classified by instruction, then aligned
// from the newest entry backwards with the final stage chain; older entries belong to the base image (FROM).

import type { Instr, ParsedDockerfile, Stage } from '../parse/dockerfile';
import { modelOf } from './dockerfile/model';

export interface HistoryEntry {
  /** Image id of the entry, or `<missing>` for layers of pulled/imported bases. */
  id: string;
  created: number;
  createdBy: string;
  size: number;
  comment?: string;
}

/** One history entry with what Hullcheck knows about it. */
export interface AttributedEntry extends HistoryEntry {
  /** The instruction keyword the entry comes from (RUN, COPY, ENV, ...), '' when unknown (imported bases). */
  keyword: string;
  /** The entry's instruction as a short one-line text, for views and code lenses. */
  short: string;
  /** The Dockerfile instruction that produced it (undefined: unknown or added by build options). */
  instr?: Instr;
  /** True when the entry comes from the base image, attributed to the FROM line. */
  base: boolean;
}

const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/**
 * The instruction keyword and argument text of a CreatedBy string. Classic builder forms:
 * `/bin/sh -c #(nop)  ENV A=b`, `/bin/sh -c #(nop) COPY file:<hash> in /dst `, `/bin/sh -c apt-get ...` (RUN),
 * `|2 A=1 B=2 /bin/sh -c make` (RUN with build args), `/bin/busybox --install` (exec-form RUN).
 * BuildKit forms: `RUN /bin/sh -c make # buildkit`, `COPY . /app # buildkit`, `ENV A=b`.
 */
export function classifyCreatedBy(createdBy: string): { keyword: string; args: string } {
  let s = createdBy.trim();
  if (s.endsWith('# buildkit')) s = s.slice(0, -'# buildkit'.length).trimEnd();
  if (!s) return { keyword: '', args: '' };
  const buildArgs = /^\|(\d+)\s/.exec(s);
  if (buildArgs) {
    // `|N k=v ...`: N build-arg assignments precede the command
    s = s.slice(buildArgs[0].length);
    for (let n = parseInt(buildArgs[1], 10); n > 0; n--) s = s.replace(/^\S*=\S*\s*/, '');
    return { keyword: 'RUN', args: stripShell(s) };
  }
  const nop = /^\/bin\/sh -c #\(nop\)\s*/.exec(s);
  if (nop) s = s.slice(nop[0].length);
  const kw = /^([A-Z]+)(\s+|$)/.exec(s);
  if (kw && KEYWORDS.has(kw[1])) {
    const args = s.slice(kw[0].length).trim();
    return { keyword: kw[1], args: kw[1] === 'RUN' ? stripShell(args) : args };
  }
  return { keyword: nop ? '' : 'RUN', args: stripShell(s) };
}

function stripShell(s: string): string {
  return s.replace(/^\/bin\/(ba)?sh -c\s+/, '').trim();
}

/** A one-line summary such as `RUN apt-get install -y curl …` or `COPY file:1a2b3c in /app`. */
export function shortCreatedBy(createdBy: string, max = 72): string {
  const { keyword, args } = classifyCreatedBy(createdBy);
  if (!keyword) return createdBy.trim() ? truncate(createdBy.trim().replace(/\s+/g, ' '), max) : '(imported layer)';
  if (keyword === 'HEALTHCHECK') return truncate(`HEALTHCHECK ${healthcheckArgs(args)}`, max);
  const text = `${keyword} ${args.replace(/\b(file|dir|multi):([0-9a-f]{12})[0-9a-f]+/g, '$1:$2')}`.replace(/\s+/g, ' ').trim();
  return truncate(text, max);
}

/**
 * The engine records a HEALTHCHECK as Go's print of its config, `&{["CMD" "/bin/test" "-f" "/x"] "2s" "1s" ...}`;
 * show it as a Dockerfile says it: `CMD ["/bin/test", "-f", "/x"]`, `CMD curl -f http://localhost/` (shell form) or
 * `NONE`.
 */
function healthcheckArgs(args: string): string {
  const list = /^&\{\[((?:"(?:[^"\\]|\\.)*"\s*)*)\]/.exec(args);
  if (!list) return args;
  const words = [...list[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  const [kind, ...rest] = words;
  if (kind === 'NONE') return 'NONE';
  if (kind === 'CMD-SHELL') return `CMD ${rest.join(' ')}`;
  return `CMD [${rest.map((w) => JSON.stringify(w)).join(', ')}]`;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Instructions that leave a history entry, oldest first: the config stages of the target's image without FROM lines. */
export function buildSteps(parsed: ParsedDockerfile, target?: string): { steps: Instr[]; root?: Stage } {
  const image = modelOf(parsed).finalImage(target);
  if (!image) return { steps: [] };
  const chain = image.configStages;
  return { steps: chain.flatMap((s) => s.instructions.filter((i) => i.keyword !== 'FROM')), root: chain[0] };
}

/** Whether a history entry can come from this instruction: same keyword, and for RUN a compatible command. */
function matches(entry: { keyword: string; args: string }, instr: Instr): boolean {
  if (entry.keyword !== instr.keyword) return false;
  if (entry.keyword !== 'RUN' || instr.jsonArgs) return true;
  const norm = (x: string) => x.replace(/\\\r?\n/g, ' ').replace(/\s+/g, '');
  const a = norm(entry.args), b = norm(instr.argsText);
  // variables are expanded in some builders' records and not in others; compare a prefix loosely
  return a === b || a.startsWith(b.slice(0, 12)) || b.startsWith(a.slice(0, 12)) || b.includes('$');
}

/**
 * Attribute every history entry (oldest first) to a Dockerfile instruction. The newest entries are matched
 * backwards against the build steps; entries older than the first step are the base image's and point at
 * the root FROM; entries newer than the last step (labels added with `--label`) stay unattributed.
 */
export function attributeHistory(entries: HistoryEntry[], parsed: ParsedDockerfile | undefined, target?: string): AttributedEntry[] {
  const out: AttributedEntry[] = entries.map((e) => {
    const c = classifyCreatedBy(e.createdBy);
    return { id: e.id, created: e.created, createdBy: e.createdBy, size: e.size, comment: e.comment, keyword: c.keyword, short: shortCreatedBy(e.createdBy), base: false };
  });
  if (!parsed) return out;
  const { steps, root } = buildSteps(parsed, target);
  const classes = entries.map((e) => classifyCreatedBy(e.createdBy));
  let i = out.length - 1;
  let j = steps.length - 1;
  let paired = false;
  let oldestPaired = out.length;
  while (i >= 0 && j >= 0) {
    if (matches(classes[i], steps[j])) {
      out[i].instr = steps[j];
      oldestPaired = i;
      paired = true;
      i--; j--;
      continue;
    }
    // an instruction that left no entry: skip ahead when the entry matches one of the next few steps back
    let k = j - 1;
    while (k >= 0 && k >= j - 3 && !matches(classes[i], steps[k])) k--;
    if (paired && k >= 0 && k >= j - 3) { j = k; continue; }
    i--;
  }
  if (!paired) return out;
  if (root && (steps.length === 0 || j < 0)) {
    for (let b = oldestPaired - 1; b >= 0; b--) { out[b].instr = root.from; out[b].base = true; }
  }
  return out;
}
