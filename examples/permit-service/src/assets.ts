import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';

const contentTypes: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Serves GOV.UK Frontend's compiled CSS and JavaScript and its images
 * straight from the installed `govuk-frontend` package:
 * `/assets/govuk-frontend.min.css`, `/assets/govuk-frontend.min.js`,
 * `/assets/images/…` (the paths the CSS itself uses). Not its fonts: GDS
 * Transport is licensed to GOV.UK services only, so pages fall back to the
 * stylesheet's system sans-serif stack.
 *
 * @example
 * ```ts
 * const assets = createAssetHandler();
 * const response = await assets('/assets/govuk-frontend.min.css'); // undefined when not an asset
 * ```
 */
export function createAssetHandler(): (pathname: string) => Promise<Response | undefined> {
  const require = createRequire(import.meta.url);
  const govukDirectory = join(
    dirname(require.resolve('govuk-frontend/package.json')),
    'dist',
    'govuk',
  );
  const assetsDirectory = join(govukDirectory, 'assets');
  return async (pathname) => {
    if (!pathname.startsWith('/assets/')) return undefined;
    try {
      const name = decodeURIComponent(pathname.slice('/assets/'.length));
      const base =
        name === 'govuk-frontend.min.css' || name === 'govuk-frontend.min.js'
          ? govukDirectory
          : assetsDirectory;
      const file = join(base, name);
      const inside = relative(base, file);
      const type = contentTypes[extname(file)];
      if (inside.startsWith('..') || inside.startsWith(sep) || type === undefined) return undefined;
      return new Response(await readFile(file), {
        headers: {
          'content-type': type,
          'cache-control': 'public, max-age=86400',
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      // A malformed escape, or no such file: not an asset.
      return undefined;
    }
  };
}
