/**
 * Supported helpers for tests and examples of services that use
 * `@civicblocks/consent`.
 *
 * @packageDocumentation
 * @module @civicblocks/consent/testing
 */
export { exampleNotice } from './testing/example-notice.js';
