#!/usr/bin/env node
// Adds up the Jest reports and the fuzz stage's JUnit reports in .local/test-results and
// prints the closing line.
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

// The fuzz stage (tools/fuzz/stage.sh): one JUnit report per OpenAPI document, one test
// case per operation. A target it was to fuzz but left no report for counts as one failed.
const fuzzTargets = path.join(resultsDir, 'fuzz.targets');
if (fs.existsSync(fuzzTargets)) {
  const targets = fs.readFileSync(fuzzTargets, 'utf8').split('\n').filter(Boolean);
  for (const target of targets) {
    const file = path.join(resultsDir, `fuzz.${target}.xml`);
    if (!fs.existsSync(file)) {
      failed += 1;
      rows.push([target, 'fuzz', 'NO REPORT (services down or Schemathesis failed to run)']);
      continue;
    }
    const counts = junitCounts(fs.readFileSync(file, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
    rows.push([target, 'fuzz', `${counts.passed} passed, ${counts.failed} failed`]);
  }
}

// The compose stage (tools/compose/stage.sh): its checks in Jest's report shape. Expected
// once the stage has begun; a missing report then counts as one failed.
// The chaos stage (tools/chaos/stage.sh): one result per fault and per threshold.
if (fs.existsSync(path.join(resultsDir, 'chaos.expected'))) {
  const file = path.join(resultsDir, 'chaos.stage.json');
  if (!fs.existsSync(file)) {
    failed += 1;
    rows.push(['chaos', 'stage', 'NO REPORT (the short chaos run died before writing one)']);
  } else {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    rows.push(['chaos', 'stage', `${r.numPassedTests} passed, ${r.numFailedTests} failed`]);
  }
}

if (fs.existsSync(path.join(resultsDir, 'compose.expected'))) {
  const file = path.join(resultsDir, 'compose.stage.json');
  if (!fs.existsSync(file)) {
    failed += 1;
    rows.push(['compose', 'stage', 'NO REPORT (the stage died before writing one)']);
  } else {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests;
    rows.push(['compose', 'stage', `${r.numPassedTests} passed, ${r.numFailedTests} failed`]);
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

// Schemathesis' JUnit report: one <testcase> per operation, failed when it holds a <failure>
// or an <error>, skipped when it holds a <skipped>.
function junitCounts(xml) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[2] ?? '';
    if (/<(failure|error)\b/.test(body)) counts.failed += 1;
    else if (/<skipped\b/.test(body)) counts.skipped += 1;
    else counts.passed += 1;
  }
  return counts;
}
