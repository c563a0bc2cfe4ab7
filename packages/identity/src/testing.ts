// The @civicblocks/identity/testing entry point: supported helpers for
// services' own sign-in tests. Explicit, named exports only.
export { CookieJar, followRedirects } from './testing/cookie-jar.js';
export { type PrepareCallbackOptions, prepareCallback } from './testing/sign-in.js';
