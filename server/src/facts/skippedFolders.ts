// Folders no walk of the workspace descends into: version control, dependencies (node_modules, Go and Composer's
// vendor), virtual environments, caches and
// build output. They never hold the project's own Dockerfiles, compose files or reports, and can be huge. The CLI's
// folder walk, the editor's workspace findings and the `**` of report globs all skip the same ones.

const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  '.git', '.hg', '.svn',
  'node_modules', 'bower_components', 'vendor', '.venv', 'venv', '.tox', '.gradle', '.terraform',
  '__pycache__', '.mypy_cache', '.pytest_cache', '.cache', '.next', '.nuxt',
  'target', 'dist-newstyle', '.idea', '.vscode-test',
]);

/** Whether a walk skips a folder of this name. */
export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name);
}
