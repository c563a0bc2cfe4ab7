// @civicblocks/core/pglite: the embedded PGlite adapter of the SQL layer.
export {
  createPgliteExecutor,
  type PgliteExecutorOptions,
  type PgliteExecutorSource,
  type PgliteLike,
  type PgliteTransactionLike,
} from './sql/pglite-executor.js';
