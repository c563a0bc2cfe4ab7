// The API reference of every published package, built into docs/api with the
// guides in docs/ alongside. Warnings fail the build (npm run check).
import { readdirSync, readFileSync } from 'node:fs';

const entryPoints = [];
for (const directory of readdirSync('packages')) {
  const manifest = JSON.parse(readFileSync(`packages/${directory}/package.json`, 'utf8'));
  if (manifest.private) continue;
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './package.json') continue;
    entryPoints.push(
      `packages/${directory}/${target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')}`,
    );
  }
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'civicblocks',
  entryPoints,
  entryPointStrategy: 'resolve',
  tsconfig: 'tsconfig.docs.json',
  out: 'docs/api',
  readme: 'README.md',
  projectDocuments: [
    'docs/*.md',
    'docs/decisions/*.md',
    'docs/core/*.md',
    'docs/consent/*.md',
    'docs/identity/*.md',
    'docs/identity/profiles/*.md',
    'docs/forms/*.md',
  ],
  plugin: ['./scripts/typedoc-require-example.mjs'],
  // Types are checked by `npm run typecheck`; the docs build only documents.
  skipErrorChecking: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  sort: ['source-order'],
  disableGit: true,
  sourceLinkTemplate: 'https://github.com/civicblocks/civicblocks/blob/main/{path}#L{line}',
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true, rewrittenLink: true },
  requiredToBeDocumented: ['Class', 'Function', 'Interface', 'TypeAlias', 'Variable', 'Enum'],
};
