// @civicblocks/core/testing: supported helpers for tests of code built on core.
export {
  createTestDatabase,
  type DatabaseTarget,
  type DatabaseTargetsOptions,
  databaseTargets,
  type TestDatabase,
} from './testing/test-database.js';
