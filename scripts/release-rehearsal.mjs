// npm run release:rehearsal — the release, rehearsed end to end without
// publishing anything real:
//
//   1. build, then copy the workspace into a scratch directory;
//   2. version it there with changesets (adding a patch changeset for every
//      public package when none is pending);
//   3. start a throwaway verdaccio registry on 127.0.0.1 and `changeset publish`
//      to it;
//   4. install the published packages into a scratch consumer project outside
//      the workspace (third-party dependencies come from the usual registry)
//      and run, for every public package, an ES module and a CommonJS smoke
//      script that load every public subpath and use it (scripts/rehearsal/);
//   5. install @civicblocks/identity alone into a production consumer
//      (`npm ci --omit=dev`) and check no dev-provider dependency (oidc-provider,
//      koa) came with it;
//   6. stop the registry and delete the scratch directory, whatever happened.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'civicblocks-rehearsal-'));
const workspace = join(scratch, 'workspace');
const consumer = join(scratch, 'consumer');
const npmCache = join(scratch, 'npm-cache');
let registry;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function cleanUp() {
  if (registry && registry.exitCode === null) registry.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

async function startRegistry(port) {
  const storage = join(scratch, 'registry');
  mkdirSync(storage);
  const config = join(storage, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(storage, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(storage, 'htpasswd')}`,
      '    max_users: -1',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $all',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/verdaccio/bin/verdaccio'),
      '--config',
      config,
      '--listen',
      `127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}/`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  child.kill('SIGTERM');
  throw new Error('verdaccio did not start within 20 seconds');
}

try {
  // 1. Build, then copy what git tracks (or would track) plus the builds.
  run('npm', ['run', 'build'], { cwd: root });
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .stdout.split('\0')
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of files) cpSync(join(root, file), join(workspace, file), { recursive: true });
  const packages = readdirSync(join(root, 'packages'))
    .map((directory) => ({
      directory,
      manifest: readJson(join(root, 'packages', directory, 'package.json')),
    }))
    .filter(({ manifest }) => !manifest.private);
  for (const { directory } of packages) {
    cpSync(
      join(root, 'packages', directory, 'dist'),
      join(workspace, 'packages', directory, 'dist'),
      { recursive: true },
    );
  }
  symlinkSync(join(root, 'node_modules'), join(workspace, 'node_modules'), 'dir');

  // 2. Version with changesets.
  const pending = readdirSync(join(workspace, '.changeset')).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
  if (pending.length === 0) {
    const frontMatter = packages.map(({ manifest }) => `'${manifest.name}': patch`).join('\n');
    writeFileSync(
      join(workspace, '.changeset', 'release-rehearsal.md'),
      `---\n${frontMatter}\n---\n\nRelease rehearsal.\n`,
    );
  }
  const changeset = join(root, 'node_modules/@changesets/cli/bin.js');
  run(process.execPath, [changeset, 'version'], { cwd: workspace });
  const versions = new Map();
  for (const { directory, manifest } of packages) {
    const versioned = readJson(join(workspace, 'packages', directory, 'package.json'));
    if (versioned.version === manifest.version && pending.length === 0) {
      throw new Error(
        `changeset version did not bump ${manifest.name} (still ${manifest.version})`,
      );
    }
    if (!existsSync(join(workspace, 'packages', directory, 'CHANGELOG.md'))) {
      throw new Error(`changeset version wrote no CHANGELOG.md for ${manifest.name}`);
    }
    versions.set(manifest.name, versioned.version);
    console.log(`rehearsal: ${manifest.name} ${manifest.version} -> ${versioned.version}`);
  }

  // 3. Publish to a throwaway registry.
  const port = await freePort();
  const started = await startRegistry(port);
  registry = started.child;
  const userConfig = join(scratch, 'npmrc');
  writeFileSync(
    userConfig,
    [
      `@civicblocks:registry=${started.url}`,
      `//127.0.0.1:${port}/:_authToken=rehearsal`,
      `cache=${npmCache}`,
      'fund=false',
      'audit=false',
      'update-notifier=false',
      '',
    ].join('\n'),
  );
  const npmEnvironment = {
    ...process.env,
    npm_config_userconfig: userConfig,
    npm_config_cache: npmCache,
  };
  delete npmEnvironment.npm_config_registry;
  run(process.execPath, [changeset, 'publish', '--no-git-tag'], {
    cwd: workspace,
    env: npmEnvironment,
  });

  // 4. Install into a scratch consumer and run the smoke scripts there.
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'rehearsal-consumer', private: true }, null, 2)}\n`,
  );
  const installs = [];
  for (const { manifest } of packages) {
    installs.push(`${manifest.name}@${versions.get(manifest.name)}`);
    // Optional peers are what the subpath adapters need; the consumer opts in.
    for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
      const range = manifest.devDependencies?.[peer] ?? manifest.peerDependencies[peer];
      installs.push(`${peer}@${range}`);
    }
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-online', ...new Set(installs)], {
    cwd: consumer,
    env: npmEnvironment,
  });
  for (const { directory, manifest } of packages) {
    const exercise = join(root, 'scripts', 'rehearsal', `${directory}.cjs`);
    if (!existsSync(exercise))
      throw new Error(
        `no smoke exercise for ${manifest.name}: add scripts/rehearsal/${directory}.cjs`,
      );
    cpSync(exercise, join(consumer, `exercise-${directory}.cjs`));
    const subpaths = Object.keys(manifest.exports).filter(
      (subpath) => subpath !== './package.json',
    );
    const specifiers = subpaths.map((subpath) => `${manifest.name}${subpath.slice(1)}`);
    writeFileSync(
      join(consumer, `smoke-${directory}.mjs`),
      [
        ...specifiers.map((specifier, index) => `import * as module${index} from '${specifier}';`),
        `import exercise from './exercise-${directory}.cjs';`,
        `await exercise({ ${specifiers.map((specifier, index) => `'${specifier}': module${index}`).join(', ')} }, 'esm');`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, `smoke-${directory}.cjs`),
      [
        `const exercise = require('./exercise-${directory}.cjs');`,
        `const modules = { ${specifiers.map((specifier) => `'${specifier}': require('${specifier}')`).join(', ')} };`,
        `exercise(modules, 'cjs').catch((error) => { console.error(error); process.exit(1); });`,
        '',
      ].join('\n'),
    );
    for (const file of [`smoke-${directory}.mjs`, `smoke-${directory}.cjs`]) {
      run(process.execPath, [file], { cwd: consumer });
    }
  }
  // 5. A production install of a service using identity (`npm ci --omit=dev`) must carry no
  //    dev-provider dependency: oidc-provider (and its koa) is an optional peer, never installed.
  const production = join(scratch, 'production-consumer');
  mkdirSync(production);
  writeFileSync(
    join(production, 'package.json'),
    `${JSON.stringify(
      {
        name: 'rehearsal-production-consumer',
        private: true,
        type: 'module',
        dependencies: { '@civicblocks/identity': versions.get('@civicblocks/identity') },
      },
      null,
      2,
    )}\n`,
  );
  run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--prefer-online'], {
    cwd: production,
    env: npmEnvironment,
  });
  run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: production,
    env: npmEnvironment,
  });
  const installed = readdirSync(join(production, 'node_modules'), { withFileTypes: true })
    .flatMap((entry) =>
      entry.name.startsWith('@')
        ? readdirSync(join(production, 'node_modules', entry.name)).map(
            (name) => `${entry.name}/${name}`,
          )
        : [entry.name],
    )
    .filter((name) => !name.startsWith('.'));
  const devOnly = ['oidc-provider', 'koa'].filter((name) => installed.includes(name));
  if (devOnly.length > 0) {
    throw new Error(
      `a production install of @civicblocks/identity brings ${devOnly.join(', ')} (dev provider only)`,
    );
  }
  writeFileSync(
    join(production, 'main.js'),
    "import { createRelyingParty } from '@civicblocks/identity';\nif (typeof createRelyingParty !== 'function') process.exit(1);\n",
  );
  run(process.execPath, ['main.js'], { cwd: production });
  console.log(
    `production install of @civicblocks/identity (npm ci --omit=dev): ${installed.length} packages, no oidc-provider, no koa`,
  );
  console.log(
    `release rehearsal passed: ${[...versions].map(([name, version]) => `${name}@${version}`).join(', ')}`,
  );
} catch (error) {
  console.error(`release rehearsal failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  cleanUp();
}
