// dockerignore-entries: a .dockerignore should keep out version control, local secrets and the
// dependency and cache folders of the project's ecosystem (detected from the files beside it).

import type { DockerignoreRule } from '../context';
import { makePattern, matchesOrParent, normalizePattern } from '../../parse/ignoreMatch';

interface Wanted {
  /** A path (relative to the context) that should be covered. */
  path: string;
  /** The line appended when it is not. */
  entry: string;
}

const ALWAYS: Wanted[] = [
  { path: '.git', entry: '.git' },
  { path: '.env', entry: '.env' },
];

/** Per ecosystem: the marker files that reveal it, and the entries it needs. */
const ECOSYSTEMS: { name: string; markers: string[]; wanted: Wanted[] }[] = [
  { name: 'Node.js', markers: ['package.json'], wanted: [{ path: 'node_modules', entry: '**/node_modules' }] },
  {
    name: 'Python',
    markers: ['pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'Pipfile', 'poetry.lock', 'uv.lock'],
    wanted: [{ path: '__pycache__', entry: '**/__pycache__' }, { path: '.venv', entry: '.venv' }],
  },
  { name: 'Rust', markers: ['Cargo.toml'], wanted: [{ path: 'target', entry: 'target' }] },
  { name: 'Gradle', markers: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradlew'], wanted: [{ path: '.gradle', entry: '.gradle' }] },
  { name: 'PHP Composer', markers: ['composer.json'], wanted: [{ path: 'vendor', entry: 'vendor' }] },
  { name: 'Ruby Bundler', markers: ['Gemfile'], wanted: [{ path: '.bundle', entry: '.bundle' }] },
];

const rule: DockerignoreRule = {
  meta: {
    id: 'dockerignore-entries',
    language: 'dockerignore',
    category: 'context',
    title: 'List the recommended entries in .dockerignore',
    severity: 'info',
    fix: 'safe',
    docs: {
      rationale:
        'Everything `.dockerignore` does not exclude is sent to the builder and can end up in the image through a ' +
        'broad `COPY`. `.git` holds the whole history (and sometimes credentials in its config), `.env` holds local ' +
        'secrets, and dependency or cache folders such as `node_modules`, `__pycache__` or `.venv` are rebuilt inside ' +
        'the image anyway: host copies only slow the upload, break layer caching and can clash with the image\'s platform.',
      invalid: '*.log\ndist/\n',
      valid: '.git\n.env*\n*.log\ndist/\n',
      notes:
        'Always expected: `.git` and `.env`. Expected when a marker file sits next to the ignore file: ' +
        '`node_modules` (package.json); `__pycache__` and `.venv` (pyproject.toml, requirements.txt, setup.py, ' +
        'setup.cfg, Pipfile, poetry.lock, uv.lock); `target` (Cargo.toml); `.gradle` (Gradle build files); `vendor` ' +
        '(composer.json); `.bundle` (Gemfile). Go `vendor` folders are not expected because builds use them, and ' +
        'neither are build outputs such as `build/` that Dockerfiles often copy on purpose.\n\n' +
        'An entry counts as present when any line covers it, with Docker\'s matching rules: `**/node_modules`, ' +
        '`node_modules/`, `/node_modules` and `.env*` all do. A `!` exception for the path also counts, because it ' +
        'is a deliberate choice. The fix appends the missing entries at the end of the file.',
    },
  },
  check(ctx) {
    const { parsed } = ctx;
    const siblings = new Set(ctx.facts.siblings ?? []);
    const wanted = [...ALWAYS];
    for (const eco of ECOSYSTEMS) if (eco.markers.some((m) => siblings.has(m))) wanted.push(...eco.wanted);
    const patterns = parsed.entries.flatMap((e) => {
      const n = normalizePattern(e.pattern);
      return n ? [makePattern(n.pattern, false)] : [];
    });
    const missing = wanted.filter((w) => !patterns.some((p) => matchesOrParent(p, w.path)));
    if (missing.length === 0) return;
    const text = parsed.text;
    const eol = parsed.index.eol;
    const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
    const end = parsed.index.positionAt(text.length);
    const insert = (needsBreak ? eol : '') + missing.map((m) => m.entry + eol).join('');
    const names = missing.map((m) => `\`${m.entry}\``).join(', ');
    const firstLine = parsed.index.lineText(0);
    ctx.report({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } },
      message: `Recommended ${missing.length === 1 ? 'entry is' : 'entries are'} missing: ${names}; without ${missing.length === 1 ? 'it' : 'them'} these paths are sent to the builder and can be copied into the image.`,
      fixes: [{ title: `Add ${missing.map((m) => m.entry).join(', ')}`, safety: 'safe', edits: [{ range: { start: end, end }, newText: insert }] }],
    });
  },
};

export default rule;
