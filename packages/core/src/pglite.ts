// @civicblocks/core/pglite
export {};
