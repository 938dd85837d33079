import * as fs from 'node:fs';
import { checkEngine } from './props';
(async () => { for (const f of process.argv.slice(2)) { const text = fs.readFileSync(f, 'utf8'); const ts: number[] = []; const compose = f.endsWith('yaml');
 for (let i = 0; i < 12; i++) { const r = await checkEngine({ language: compose ? 'compose' : 'dockerfile', name: compose ? 'compose.yaml' : 'Dockerfile', text, describe: '' }); ts.push(r.ms); if (r.failures.length) console.log(r.failures); }
 console.log(f, ts.map((x) => x.toFixed(0)).join(' '), 'min', Math.min(...ts).toFixed(1)); } })();
