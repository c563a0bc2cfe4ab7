// The @civicblocks/identity/dev-provider entry point: an in-process OpenID
// Connect provider for development and tests. Explicit, named exports only.

export { startDevProvider } from './dev-provider/dev-provider.js';
export type {
  DevClient,
  DevProvider,
  DevProviderFaults,
  DevProviderGovuk,
  DevProviderOptions,
  DevProviderProfile,
} from './dev-provider/dev-provider-options.js';
export { type DevPersona, type DevPersonaAddress, devPersonas } from './dev-provider/personas.js';
