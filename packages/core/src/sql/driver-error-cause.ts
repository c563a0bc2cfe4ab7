/**
 * The cause a {@link SqlError} keeps of a driver error: a plain `Error`
 * carrying only what cannot hold a bound value. Kept: the SQLSTATE `code`,
 * `severity`, the `schema`, `table`, `column`, `dataType` and `constraint`
 * names, `position` (an offset in the SQL text), `routine`, and for socket
 * failures `errno`, `syscall`, `address` and `port`. Dropped: `detail`
 * (`Key (email)=(...) already exists`), `hint`, `where` and
 * `internalQuery` (they can quote values), the bound parameters and query
 * text PGlite attaches, and the driver's message unless the error is of
 * class 42 (it describes the SQL text), a socket error, or one of the
 * drivers' connection messages.
 * @internal
 */
export class SanitisedDriverError extends Error {
  readonly code: string | undefined;
  readonly severity: string | undefined;
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly dataType: string | undefined;
  readonly constraint: string | undefined;
  readonly position: string | undefined;
  readonly routine: string | undefined;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
  readonly address: string | undefined;
  readonly port: number | undefined;

  constructor(message: string, fields: Readonly<Record<string, unknown>>, name: string) {
    super(message);
    this.name = name;
    const text = (key: string): string | undefined =>
      typeof fields[key] === 'string' ? (fields[key] as string) : undefined;
    const number = (key: string): number | undefined =>
      typeof fields[key] === 'number' ? (fields[key] as number) : undefined;
    this.code = text('code');
    this.severity = text('severity');
    this.schema = text('schema');
    this.table = text('table');
    this.column = text('column');
    this.dataType = text('dataType');
    this.constraint = text('constraint');
    this.position = text('position');
    this.routine = text('routine');
    this.errno = number('errno');
    this.syscall = text('syscall');
    this.address = text('address');
    this.port = number('port');
    for (const key of Object.keys(this) as (keyof this)[]) {
      if (this[key] === undefined) delete this[key];
    }
  }
}

const sqlStatePattern = /^[0-9A-Z]{5}$/;
// Messages of node-postgres, pg-pool and PGlite that never quote a value.
const knownSafeMessages =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|PGlite is closed|PGlite closed|Query read timeout)/;

/**
 * Strips a driver error down to a {@link SanitisedDriverError}. Anything that
 * is not an object becomes a generic error; an AggregateError (a refused
 * connection to every address of a host) keeps its sanitised inner errors.
 * @internal
 */
export function sanitiseDriverError(error: unknown): Error {
  if (typeof error !== 'object' || error === null) {
    return new SanitisedDriverError('the database driver failed', {}, 'Error');
  }
  const fields = error as Readonly<Record<string, unknown>>;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const name = typeof fields.name === 'string' && fields.name !== '' ? fields.name : 'Error';
  const driverMessage = typeof fields.message === 'string' ? fields.message : '';
  const hasSqlState = code !== undefined && sqlStatePattern.test(code);
  const isSocketError = code !== undefined && !hasSqlState && /^E[A-Z_]+$/.test(code);
  const message = hasSqlState
    ? code.startsWith('42')
      ? driverMessage
      : `SQLSTATE ${code}`
    : isSocketError || knownSafeMessages.test(driverMessage)
      ? driverMessage
      : `${name} in the database driver (message withheld: it may quote a value)`;
  const sanitised = new SanitisedDriverError(message, fields, name);
  const stack = typeof fields.stack === 'string' ? fields.stack : '';
  const frames = stack.indexOf('\n    at ');
  sanitised.stack = `${name}: ${message}${frames === -1 ? '' : stack.slice(frames)}`;
  if (Array.isArray(fields.errors)) {
    Object.defineProperty(sanitised, 'errors', {
      value: (fields.errors as unknown[]).map(sanitiseDriverError),
      enumerable: true,
    });
  }
  return sanitised;
}
