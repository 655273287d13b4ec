// One Jest configuration for every project, built per test tier.
//   unit         *.spec.ts              no infrastructure, fake clocks allowed
//   integration  *.integration-spec.ts  real Postgres, Redis, Kafka and toxiproxy
//   e2e          *.e2e-spec.ts          every service running, driven through the gateway
// tools/jest-tier.cjs calls jestConfig() so projects need no Jest files of their own.
const fs = require('node:fs');
const path = require('node:path');

const workspaceRoot = __dirname;
const swcrc = JSON.parse(fs.readFileSync(path.join(workspaceRoot, '.swcrc'), 'utf8'));
const { compilerOptions } = JSON.parse(
  fs.readFileSync(path.join(workspaceRoot, 'tsconfig.base.json'), 'utf8'),
);

// "@suite/testing" -> "<root>/libs/testing/src/index.ts", straight from tsconfig paths.
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/.]/g, (c) => `\\${c}`)}$`,
    path.join(workspaceRoot, target),
  ]),
);

const tiers = {
  unit: {
    testMatch: ['<rootDir>/**/*.spec.ts'],
    testTimeout: 10_000,
  },
  integration: {
    testMatch: ['<rootDir>/**/*.integration-spec.ts'],
    testTimeout: 120_000,
    globalSetup: path.join(workspaceRoot, 'libs/testing/src/jest/global-setup.ts'),
    globalTeardown: path.join(workspaceRoot, 'libs/testing/src/jest/global-teardown.ts'),
  },
  e2e: {
    testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
    testTimeout: 180_000,
    globalSetup: path.join(workspaceRoot, 'libs/testing/src/jest/e2e-global-setup.ts'),
    globalTeardown: path.join(workspaceRoot, 'libs/testing/src/jest/e2e-global-teardown.ts'),
  },
};

function jestConfig(tier, projectRoot) {
  const tierConfig = tiers[tier];
  if (!tierConfig)
    throw new Error(`unknown test tier "${tier}" (expected unit, integration or e2e)`);
  return {
    displayName: `${path.basename(projectRoot)}:${tier}`,
    rootDir: path.resolve(workspaceRoot, projectRoot),
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...tierConfig,
  };
}

module.exports = { jestConfig, workspaceRoot };
