#!/usr/bin/env node
// Runs one test tier of one project and writes Jest's JSON report to
// .local/test-results/<project>.<tier>.json, which tools/test-summary.cjs adds up.
// Usage: node tools/jest-tier.cjs <unit|integration|e2e> <projectRoot> <projectName> [jest args...]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { jestConfig, workspaceRoot } = require('../jest.preset.cjs');

const [tier, projectRoot, projectName, ...extra] = process.argv.slice(2);
if (!tier || !projectRoot || !projectName) {
  console.error(
    'usage: jest-tier.cjs <unit|integration> <projectRoot> <projectName> [jest args...]',
  );
  process.exit(2);
}

const resultsDir = path.join(workspaceRoot, '.local/test-results');
fs.mkdirSync(resultsDir, { recursive: true });
const outputFile = path.join(resultsDir, `${projectName}.${tier}.json`);
fs.rmSync(outputFile, { force: true });

const args = [
  require.resolve('jest/bin/jest'),
  '--config',
  JSON.stringify(jestConfig(tier, projectRoot)),
  '--passWithNoTests',
  '--json',
  `--outputFile=${outputFile}`,
  // Nx already runs two projects at once on this 2-core machine; integration files share
  // the one local stack and isolate themselves by database and key prefix.
  tier === 'unit' ? '--maxWorkers=1' : '--runInBand',
  // A client that a test forgot to close must not hold the whole run open: integration
  // files end their own processes and connections, and Jest exits once they report.
  ...(tier === 'unit' ? [] : ['--forceExit']),
  ...extra,
];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: workspaceRoot });
process.exit(run.status ?? 1);
