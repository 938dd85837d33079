// Options that take their value as the next word, per program: the one table every rule uses so that an
// option's value (`--network-timeout 600000`, `--requirements requirements.txt`, `-o Acquire::x=1`) is never
// taken for a subcommand, a package or a file. Options written `--name=value` need no entry.

import { positionals, programArgs, programName, type Command, type Word } from '../../parse/shell';

const APT = ['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release'];
const RPM = ['-c', '--config', '--installroot', '--releasever', '--setopt', '--enablerepo', '--disablerepo', '--repo', '--repoid',
  '-x', '--exclude', '-d', '--debuglevel', '-e', '--errorlevel', '--repofrompath', '--nogpgcheck-repo', '--forcearch', '--destdir'];
/** pip's options (global and install) plus uv's `uv pip install`/`uv sync` spellings (uv uses plurals: `--requirements`). */
const PIP = [
  '-r', '--requirement', '--requirements', '-c', '--constraint', '--constraints', '--override', '--overrides',
  '-b', '--build-constraint', '--build-constraints', '-e', '--editable', '-t', '--target', '--prefix', '--root', '--build',
  '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host', '--allow-insecure-host', '--root-user-action',
  '--python', '-p', '--platform', '--python-version', '--implementation', '--abi', '--src', '--upgrade-strategy', '--global-option',
  '--install-option', '-C', '--config-settings', '--config-setting', '--progress-bar', '--log', '--cache-dir', '--proxy',
  '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--only-binary', '--no-binary', '--report',
  '--python-platform', '--group', '--extra', '--index', '--default-index', '--index-strategy', '--keyring-provider',
  '--resolution', '--prerelease', '--link-mode', '--reinstall-package', '--refresh-package', '-P', '--upgrade-package',
  '--exclude-newer', '--no-build-isolation-package', '--no-build-package', '--no-binary-package', '--excludes',
  '--torch-backend', '--pip-args', '--suffix', '--spec', '--directory', '--project', '--config-file', '--color',
  '--python-preference', '--package', '--only-group', '--no-group', '--no-install-package', '--only-install-package',
];

const TABLE: Record<string, readonly string[]> = {
  'apt-get': APT,
  apt: APT,
  aptitude: ['-o', '-t', '--target-release', '-F', '--display-format', '-w', '--width', '-O', '--sort'],
  apk: ['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--cache-max-age', '--timeout'],
  yum: RPM,
  dnf: RPM,
  microdnf: RPM,
  tdnf: RPM,
  zypper: ['-R', '--root', '--reposd-dir', '--cache-dir', '-D', '-C', '--config', '-r', '--repo', '--from', '-t', '--type'],
  pip: PIP,
  pipx: PIP,
  uv: PIP,
  npm: ['--prefix', '-w', '--workspace', '--cache', '--registry', '--loglevel', '--userconfig', '--tag', '--omit', '--include', '--fetch-timeout', '--fetch-retries'],
  yarn: ['--cwd', '--cache-folder', '--modules-folder', '--network-timeout', '--network-concurrency', '--mutex', '--registry', '--global-folder', '--link-folder'],
  pnpm: ['-C', '--dir', '--filter', '-F', '--store-dir', '--registry', '--network-concurrency', '--reporter'],
  bun: ['--cwd', '--registry', '--cache-dir', '--backend', '-c', '--config', '--filter'],
  gem: ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-p', '--http-proxy', '--platform', '-g', '--file'],
  go: ['-C', '-tags', '-ldflags', '-gcflags', '-asmflags', '-mod', '-modfile', '-p', '-exec', '-overlay', '-pgo', '-toolexec', '-o'],
  cargo: ['--target', '--target-dir', '-p', '--package', '--features', '-F', '--manifest-path', '--profile', '-j', '--jobs', '--config', '-Z', '--recipe-path', '--bin'],
  composer: ['-d', '--working-dir', '--ignore-platform-req'],
  poetry: ['-C', '--directory', '-P', '--project', '--with', '--without', '--only', '-E', '--extras'],
  bundle: ['--gemfile', '--path', '--without', '--with', '-j', '--jobs', '--retry'],
};

/** The options of a program that take the next word as their value (`pip3.12` reads pip's). */
export function valueOptions(program: string): readonly string[] {
  return TABLE[/^pip[0-9.]*$/.test(program) ? 'pip' : program] ?? [];
}

/** The same, as a set, for the helpers that take one. */
export function valueOptionSet(program: string): ReadonlySet<string> {
  let set = SETS.get(program);
  if (!set) { set = new Set(valueOptions(program)); SETS.set(program, set); }
  return set;
}
const SETS = new Map<string, Set<string>>();

/** The positional arguments of a command (subcommand included), with its program's option values skipped. */
export function commandPositionals(cmd: Command): Word[] {
  return positionals(programArgs(cmd), valueOptions(programName(cmd)));
}
