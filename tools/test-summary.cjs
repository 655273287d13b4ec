#!/usr/bin/env node
// Adds up the Jest reports in .local/test-results and prints the closing line.
// A project whose test target ran but left no report (it crashed, or failed to compile)
// counts as one failed test, so a broken suite can never pass by producing nothing.
// Usage: node tools/test-summary.cjs <nx exit status> <elapsed seconds>
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, '.local/test-results');
const [nxStatus = '0', elapsed = '?'] = process.argv.slice(2);

function projectsWith(target) {
  const out = execFileSync(
    process.execPath,
    [require.resolve('nx/bin/nx'), 'show', 'projects', '--with-target', target, '--json'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const tier of ['unit', 'integration', 'e2e']) {
  const target = tier === 'unit' ? 'test' : tier;
  for (const project of projectsWith(target).sort()) {
    const file = path.join(resultsDir, `${project}.${tier}.json`);
    if (!fs.existsSync(file)) {
      failed += 1;
      rows.push([project, tier, 'NO REPORT (crashed or did not compile)']);
      continue;
    }
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Suites that failed to load count once each; their tests never ran.
    const brokenSuites = r.numRuntimeErrorTestSuites ?? 0;
    passed += r.numPassedTests;
    failed += r.numFailedTests + brokenSuites;
    skipped += r.numPendingTests + r.numTodoTests;
    rows.push([
      project,
      tier,
      `${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites} failed`,
    ]);
  }
}

console.log('\nTest results by project:');
for (const [project, tier, text] of rows)
  console.log(`  ${project.padEnd(20)} ${tier.padEnd(12)} ${text}`);
if (nxStatus !== '0') {
  console.log(
    '  (some Nx task failed: read the output above; type check and lint failures count as one failed test)',
  );
  if (failed === 0) failed = 1;
}
console.log(`Elapsed: ${elapsed} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
