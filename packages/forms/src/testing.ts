// Supported helpers for testing services built with @civicblocks/forms.

export { exampleApplicationDefinition } from './testing/example-application.js';
export {
  createFormTestClient,
  createMemoryFileStorage,
  type FormTestClient,
  type TestPage,
} from './testing/form-test-client.js';
