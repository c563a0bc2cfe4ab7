// node scripts/lockfile-platforms.mjs — run after `npm install` changes the lockfile.
//
// Tools such as biome, rollup and turbo ship one optional package per
// platform. A registry mirror that carries only some platforms makes npm
// drop the others from package-lock.json, and `npm ci` then refuses the
// lockfile as out of sync. This puts the missing platform packages back as
// the lockfile would hold them from a complete registry: same version,
// optional, with the os/cpu/libc fields that make npm skip them on every
// other platform. Exits non-zero with `--check` when something is missing.
import { readFileSync, writeFileSync } from 'node:fs';

const lockfilePath = new URL('../package-lock.json', import.meta.url);
const lockfile = JSON.parse(readFileSync(lockfilePath, 'utf8'));
const packages = lockfile.packages;

const operatingSystems = {
  android: 'android',
  darwin: 'darwin',
  freebsd: 'freebsd',
  linux: 'linux',
  netbsd: 'netbsd',
  openbsd: 'openbsd',
  openharmony: 'openharmony',
  sunos: 'sunos',
  aix: 'aix',
  win32: 'win32',
  windows: 'win32',
};
const processors = {
  arm64: 'arm64',
  aarch64: 'arm64',
  x64: 'x64',
  64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
};

/** The os/cpu/libc a platform package is for, read from its name, or undefined. */
function platformOf(name) {
  const words = name.split('/').pop().split('-');
  const os = words.map((word) => operatingSystems[word]).find(Boolean);
  const cpu = words
    .map((word) => processors[word.replace(/(gnueabihf|musleabihf|eabi)$/, '') || word])
    .find(Boolean);
  if (!os || !cpu) return undefined;
  const libc =
    os !== 'linux' ? undefined : words.some((word) => word.startsWith('musl')) ? 'musl' : 'glibc';
  return { os, cpu, libc };
}

const added = [];
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    const hoisted = packages[`node_modules/${name}`];
    if (packages[nested] || hoisted?.version === version) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) continue;
    packages[hoisted ? nested : `node_modules/${name}`] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added.push(`${name}@${version}`);
  }
}

if (process.argv.includes('--check')) {
  if (added.length > 0) {
    console.error(
      `package-lock.json lacks ${added.length} platform packages; run node scripts/lockfile-platforms.mjs`,
    );
    process.exit(1);
  }
} else if (added.length > 0) {
  lockfile.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
    ),
  );
  writeFileSync(lockfilePath, `${JSON.stringify(lockfile, null, 2)}\n`);
  console.log(`added ${added.length} platform packages to package-lock.json`);
} else {
  console.log('package-lock.json already lists every platform package');
}
