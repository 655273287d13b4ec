// Lint rules for the whole workspace. Module boundaries are enforced from project tags:
//   type:app      deployable NestJS services, may depend only on libs
//   type:lib      shared libraries
//   type:testing  test harness, imported only from test files and tools
//   type:tool     the demo, load and chaos runs, end-to-end tests
//   scope:<name>  a service's own code; scope:shared is usable by every scope
//   layer:core    framework-free mechanisms (no NestJS, TypeORM or HTTP framework)
//   layer:nest    Nest modules over the core; layer:contracts schemas; layer:testing harness
import nx from '@nx/eslint-plugin';

const testFiles = [
  '**/*.spec.ts',
  '**/*.integration-spec.ts',
  '**/*.e2e-spec.ts',
  '**/jest/**/*.ts',
  // Test support: harnesses, workers and fixtures that tests start.
  '**/testing/**/*.ts',
];

const sharedConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
  { sourceTag: 'scope:ticketing', onlyDependOnLibsWithTags: ['scope:ticketing', 'scope:shared'] },
  { sourceTag: 'scope:payments', onlyDependOnLibsWithTags: ['scope:payments', 'scope:shared'] },
  {
    sourceTag: 'scope:psp-simulator',
    onlyDependOnLibsWithTags: ['scope:psp-simulator', 'scope:shared'],
  },
  { sourceTag: 'scope:auction', onlyDependOnLibsWithTags: ['scope:auction', 'scope:shared'] },
  {
    sourceTag: 'scope:rate-limiter',
    onlyDependOnLibsWithTags: ['scope:rate-limiter', 'scope:shared'],
  },
  { sourceTag: 'scope:scheduler', onlyDependOnLibsWithTags: ['scope:scheduler', 'scope:shared'] },
  {
    sourceTag: 'scope:web-simulator',
    onlyDependOnLibsWithTags: ['scope:web-simulator', 'scope:shared'],
  },
  { sourceTag: 'scope:crawler', onlyDependOnLibsWithTags: ['scope:crawler', 'scope:shared'] },
  // The demo, load and chaos runs: they drive the services over HTTP and read the databases
  // directly, so they share no code with the services beyond the shared libraries.
  { sourceTag: 'scope:load-tests', onlyDependOnLibsWithTags: ['scope:shared'] },
];

// Framework-free mechanisms: no NestJS, no ORM, no HTTP framework.
const frameworkImports = ['@nestjs/*', 'typeorm', 'fastify', '@fastify/*', 'express'];

const boundaries = (extraConstraints) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    {
      enforceBuildableLibDependency: true,
      banTransitiveDependencies: true,
      checkDynamicDependenciesExceptions: [],
      depConstraints: [...extraConstraints, ...sharedConstraints],
    },
  ],
});

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '.local/**', 'coverage/**', 'tmp/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      ...boundaries([
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
        // The demo, load runs and end-to-end tests drive the stack with the test harness.
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
        {
          sourceTag: 'layer:core',
          onlyDependOnLibsWithTags: ['layer:contracts'],
          bannedExternalImports: frameworkImports,
        },
        { sourceTag: 'layer:nest', onlyDependOnLibsWithTags: ['layer:core', 'layer:contracts'] },
        { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: [] },
        // Verifiers read databases through the core's SqlExecutor port, and topic names and
        // event types from the contracts.
        {
          sourceTag: 'layer:audit',
          onlyDependOnLibsWithTags: ['layer:core', 'layer:contracts'],
          bannedExternalImports: frameworkImports,
        },
      ]),
      // Imports go through a library's public entry point, never into its folders.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@suite/*/*'], message: 'Import from the library entry point.' }] },
      ],
      // Configuration is parsed once per app at boot (config/*.config.ts); nothing else reads it.
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through the app config schema.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Test files may also use the test harness.
    files: testFiles,
    rules: {
      ...boundaries([
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
        { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
        {
          sourceTag: 'layer:core',
          onlyDependOnLibsWithTags: ['layer:contracts', 'layer:testing'],
          bannedExternalImports: frameworkImports,
        },
        {
          sourceTag: 'layer:nest',
          onlyDependOnLibsWithTags: ['layer:core', 'layer:contracts', 'layer:testing'],
        },
        { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: ['layer:testing'] },
        {
          sourceTag: 'layer:audit',
          onlyDependOnLibsWithTags: ['layer:core', 'layer:contracts', 'layer:testing'],
        },
      ]),
    },
  },
  {
    // Entry points and the test harness are where the environment is read.
    files: [
      'apps/*/src/main.ts',
      'load-tests/src/**/*.ts',
      'apps/*-e2e/src/**/*.ts',
      'libs/testing/src/**/*.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
];
