// Runs the permit service on embedded defaults: `npm start` from the
// repository root, then open the address it prints.
//
//   PORT                        default 3000
//   DATABASE_URL                PostgreSQL; default the embedded PGlite
//   PERMIT_DATA_DIR             keep the PGlite database on disk; default in memory
//   PERMIT_LOGIN_COOKIE_SECRET  seals sign-in transactions; generated when absent
//   PERMIT_FORMS_SECRET         the form handler's secret; generated when absent
import { InvalidInputError } from '@civicblocks/core';
import { type PermitService, startPermitService } from './permit-service.js';

function portFrom(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'PORT must be a whole number from 0 to 65535', {
      details: { argument: 'PORT' },
    });
  }
  return port;
}

const environment = process.env;
let service: PermitService;
try {
  service = await startPermitService({
    port: portFrom(environment.PORT),
    databaseUrl: environment.DATABASE_URL,
    dataDir: environment.PERMIT_DATA_DIR,
    secrets: {
      loginCookie: environment.PERMIT_LOGIN_COOKIE_SECRET,
      forms: environment.PERMIT_FORMS_SECRET,
    },
  });
} catch (error) {
  // Our errors' messages never hold secrets or personal data; a port in use says which port.
  const message = error instanceof Error ? error.message : 'unknown error';
  process.stderr.write(`permit-service: could not start: ${message}\n`);
  process.exit(1);
}
const database =
  environment.DATABASE_URL !== undefined && environment.DATABASE_URL !== ''
    ? 'PostgreSQL'
    : environment.PERMIT_DATA_DIR !== undefined && environment.PERMIT_DATA_DIR !== ''
      ? 'PGlite on disk'
      : 'PGlite in memory';
process.stdout.write(`permit-service: listening on ${service.origin} (${database})\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`permit-service: ${signal} received, shutting down\n`);
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
