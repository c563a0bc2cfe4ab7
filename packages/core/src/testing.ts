// @civicblocks/core/testing: supported helpers for tests of code built on core.
export { isContinuousIntegration } from './testing/continuous-integration.js';
export {
  createTestDatabase,
  type DatabaseTarget,
  type DatabaseTargetsOptions,
  databaseTargets,
  type TestDatabase,
} from './testing/test-database.js';
