/**
 * The consent package's version of its public API.
 *
 * @example
 * ```ts
 * import { consentPackageName } from '@civicblocks/consent';
 * console.log(consentPackageName);
 * ```
 */
export const consentPackageName = '@civicblocks/consent';
