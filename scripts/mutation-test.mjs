// `npm run test:mutation [group...]`: runs Stryker once per group of stryker.config.mjs (all by
// default), niced, then prints the mutation score of every mutated file from the JSON reports.
// `--report-only` prints the scores of the last runs without running anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { groups } from '../stryker.config.mjs';

const reportOnly = process.argv.includes('--report-only');
const named = process.argv.slice(2).filter((a) => a !== '--report-only');
const chosen = named.length ? named : Object.keys(groups);
let failed = false;
for (const name of reportOnly ? [] : chosen) {
  if (!groups[name]) throw new Error(`unknown group ${name}; groups: ${Object.keys(groups).join(', ')}`);
  console.log(`\n=== mutation group ${name} ===`);
  const run = spawnSync('nice', ['-n', '5', 'npx', 'stryker', 'run'], { stdio: 'inherit', env: { ...process.env, MUTATION_GROUP: name } });
  if (run.status !== 0) failed = true;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
for (const name of chosen) {
  const path = `reports/mutation/${name}.json`;
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
    const valid = detected + undetected;
    rows.push({ file, score: valid ? (100 * detected) / valid : 100, detected, survived: undetected, invalid: mutants.length - valid });
  }
}
console.log('\nMutation score per file (killed + timed out) / (valid mutants); compile errors excluded:');
for (const r of rows)
  console.log(
    `${r.score.toFixed(1).padStart(6)}%  ${String(r.detected).padStart(4)} killed  ${String(r.survived).padStart(3)} survived  ${r.file}`,
  );
const total = rows.reduce((a, r) => ({ d: a.d + r.detected, s: a.s + r.survived }), { d: 0, s: 0 });
if (rows.length) console.log(`${((100 * total.d) / (total.d + total.s)).toFixed(1).padStart(6)}%  all files`);
process.exit(failed ? 1 : 0);
