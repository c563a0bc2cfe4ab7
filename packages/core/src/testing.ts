// @civicblocks/core/testing
export {};
