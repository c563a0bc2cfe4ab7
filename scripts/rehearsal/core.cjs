// Smoke exercise for @civicblocks/core, run by the release rehearsal in a
// scratch consumer from both `import` (ESM) and `require()` (CommonJS).
const assert = require('node:assert/strict');

module.exports = async function exercise(modules, mode) {
  const core = modules['@civicblocks/core'];
  const error = new core.HttpError('HTTP_TIMEOUT', 'timed out');
  assert.equal(core.CivicError.isInstance(error), true);
  assert.equal(error.name, 'HttpError');
  console.log(`@civicblocks/core (${mode}): every subpath loaded and used`);
};
