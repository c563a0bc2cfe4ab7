// @civicblocks/core/pg
export {};
