// @civicblocks/core/pg: the node-postgres adapter of the SQL layer.
export {
  createPgExecutor,
  type PgExecutorOptions,
  type PgPoolLike,
} from './sql/pg-executor.js';
