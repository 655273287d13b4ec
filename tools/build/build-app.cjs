#!/usr/bin/env node
// Production build of one app: `node tools/build/build-app.cjs <app>` writes
// dist/apps/<app>/main.js, a single CommonJS bundle of the app and the workspace libraries it
// imports, with its runtime files (.lua scripts, .sql migrations) under dist/apps/<app>/assets.
// npm packages stay external: an image installs them from the lockfile, production only.
//
// Why esbuild with an SWC step: NestJS resolves constructor parameters from the decorator
// metadata TypeScript emits (emitDecoratorMetadata), which esbuild does not produce. SWC does,
// so each workspace .ts file is compiled by SWC and esbuild only resolves, bundles and writes.
'use strict';

const { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, copyFileSync, writeFileSync } =
  require('node:fs');
const { dirname, join, relative, sep } = require('node:path');
const esbuild = require('esbuild');
const swc = require('@swc/core');

const ROOT = join(__dirname, '..', '..');
const ASSET_EXTENSIONS = ['.lua', '.sql'];
// Where the sources of a bundle's runtime files live, relative to the workspace root.
const ASSET_ROOTS = ['libs'];

async function main() {
  const app = process.argv[2];
  if (!app || !existsSync(join(ROOT, 'apps', app, 'src', 'main.ts'))) {
    console.error('usage: build-app.cjs <app>   (an app with apps/<app>/src/main.ts)');
    process.exit(2);
  }
  const outDir = join(ROOT, 'dist', 'apps', app);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join('apps', app, 'src', 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Every npm package is resolved at run time from node_modules.
    packages: 'external',
    tsconfig: join(ROOT, 'tsconfig.base.json'),
    sourcemap: true,
    // Nest names providers and controllers by class name in logs and errors.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [swcDecorators()],
    // A source file's folder, as the bundle sees it: its assets copied under assets/.
    banner: {
      js: "const __suiteAssetDir = (rel) => require('node:path').join(__dirname, 'assets', rel);",
    },
  });

  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
  const assets = copyAssets(app, outDir, inputs);
  writeFileSync(
    join(outDir, 'package.json'),
    `${JSON.stringify({ name: `@suite/${app}`, private: true, main: 'main.js' }, null, 2)}\n`,
  );
  const size = readFileSync(join(outDir, 'main.js')).length;
  console.log(
    `${app}: dist/apps/${app}/main.js (${(size / 1024).toFixed(0)} KiB, ${inputs.length} sources, ${assets} assets)`,
  );
}

// Compiles workspace TypeScript with SWC (legacy decorators plus their metadata) and points
// each file's __dirname at its copied assets, so `readFileSync(join(__dirname, 'sql', f))`
// in a library finds the same file in the bundle as beside the sources.
function swcDecorators() {
  return {
    name: 'swc-decorators',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const output = await swc.transform(source, {
          filename: args.path,
          sourceMaps: 'inline',
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'es6' },
        });
        const folder = relative(ROOT, dirname(args.path)).split(sep).join('/');
        const code = output.code.replace(/\b__dirname\b/g, `__suiteAssetDir(${JSON.stringify(folder)})`);
        return { contents: code, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

// Copies the runtime files of every workspace folder the bundle drew sources from, keeping
// their paths relative to the workspace root (a library reaches ../sql from its own folder).
function copyAssets(app, outDir, inputs) {
  const folders = new Set();
  for (const input of inputs) {
    const parts = dirname(input).split('/');
    // The project's src folder: apps/<app>/src or libs/<lib>/src.
    if (parts.length >= 3 && (parts[0] === 'apps' || ASSET_ROOTS.includes(parts[0]))) {
      folders.add(parts.slice(0, 3).join('/'));
    }
  }
  let copied = 0;
  for (const folder of folders) {
    for (const file of walk(join(ROOT, folder))) {
      if (!ASSET_EXTENSIONS.some((ext) => file.endsWith(ext))) continue;
      const rel = relative(ROOT, file);
      if (rel.includes('/testing/') || rel.includes('/smoke/')) continue;
      const target = join(outDir, 'assets', rel);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      copied += 1;
    }
  }
  return copied;
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
