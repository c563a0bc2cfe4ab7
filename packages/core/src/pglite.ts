// @civicblocks/core/pglite: the embedded PGlite adapter of the SQL layer.
export {
  createPgliteExecutor,
  type PgliteExecutorSource,
} from './sql/pglite-executor.js';
