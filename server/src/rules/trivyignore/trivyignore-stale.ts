// trivyignore-stale: an ignored id that none of the workspace's current Trivy reports contains no longer hides
// anything; leaving it lets the same id be silenced unnoticed if it comes back in another package.

import type { TrivyignoreRule } from '../context';
import { guessKind, idAliases, SECTION_KIND } from '../../trivy/ids';

const rule: TrivyignoreRule = {
  meta: {
    id: 'trivyignore-stale',
    language: 'trivyignore',
    category: 'vulnerabilities',
    title: 'Remove ignore entries that no current report contains',
    severity: 'info',
    fix: 'safe',
    docs: {
      rationale:
        'An ignore entry is a decision about one finding at one point in time. Once the package is upgraded or ' +
        'removed, the entry silences nothing, but it stays armed: if the same id shows up again (in another package, ' +
        'or after a downgrade) it is hidden without anyone deciding so. Removing stale entries keeps the file a ' +
        'short list of risks that are still accepted today.',
      invalid: '# not reachable from our code\nCVE-2000-0001\n',
      valid: '# not reachable from our code\nCVE-2019-1549\n',
      files: {
        '.hullcheck.yaml': 'trivy:\n  reports: "*.json"\n',
        'report.json': JSON.stringify({
          SchemaVersion: 2, ArtifactName: 'app:1.0', ArtifactType: 'container_image',
          Results: [{ Target: 'app:1.0 (alpine 3.10.2)', Class: 'os-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-2019-1549', PkgName: 'libcrypto1.1', Severity: 'MEDIUM' }] }],
        }),
      },
      notes:
        'The reports are the Trivy JSON files matching `trivy-reports/*.json` beside the ignore file; set ' +
        '`trivy: { reports: "<glob>" }` (or a list of globs) in `.hullcheck.yaml` to read others. Produce them ' +
        'without the ignore file (or with `--show-suppressed`), otherwise the ignored findings are missing from them ' +
        'and every entry looks stale. With no readable report the rule stays silent, because staleness is unknown.\n\n' +
        'An id is only judged when the reports cover its kind: a CVE needs a vulnerability scan, `AVD-DS-0002` a ' +
        'misconfiguration scan, `aws-access-key-id` a secret scan. In the plain format the kind is guessed from the ' +
        'id\'s shape; ids whose shape says nothing (license names) are never reported. Misconfiguration ids match ' +
        'with or without their `AVD-` prefix. The fix deletes the entry\'s line (in YAML, the whole list item); it is ' +
        'not offered when the item defines a YAML anchor used elsewhere.',
    },
  },
  check(ctx) {
    const facts = ctx.facts.trivy;
    if (!facts?.ids || !facts.scanned) return;
    const { parsed } = ctx;
    const n = facts.reports?.length ?? 0;
    for (const e of parsed.entries) {
      const kind = e.section ? SECTION_KIND[e.section] : guessKind(e.id);
      if (!kind || !facts.scanned.has(kind)) continue;
      const names = kind === 'misconfiguration' ? idAliases(e.id) : [e.id];
      if (names.some((x) => facts.ids!.has(x))) continue;
      const start = parsed.index.offsetAt(e.removal.start), end = parsed.index.offsetAt(e.removal.end);
      const body = parsed.text.slice(start, end);
      const rest = parsed.text.slice(0, start) + parsed.text.slice(end);
      // deleting an anchor that other entries refer to would break the file
      const anchors = [...body.matchAll(/&([^\s,[\]{}]+)/g)].map((m) => m[1]);
      const safe = parsed.format === 'plain' || !anchors.some((a) => rest.includes(`*${a}`));
      ctx.report({
        range: e.range,
        message: `\`${e.id}\` is not in ${n === 1 ? 'the Trivy report' : `any of the ${n} Trivy reports`} of this workspace, so ignoring it hides nothing; remove the entry.`,
        fixes: safe ? [{ title: `Remove the stale entry \`${e.id}\``, safety: 'safe', edits: [{ range: e.removal, newText: '' }] }] : [],
      });
    }
  },
};

export default rule;
