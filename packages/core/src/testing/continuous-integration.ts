const falseValues: ReadonlySet<string> = new Set(['', '0', 'false', 'no', 'off']);

/**
 * True when the `CI` environment value says the tests run in continuous
 * integration: any value set, except empty, `0`, `false`, `no` and `off`
 * (any case). GitHub and GitLab set `true`, others `1` or a name: all count.
 * There a missing real component (no `DATABASE_URL`) is an error, not a skip.
 *
 * @param value - the `CI` environment variable, e.g. `process.env.CI`.
 * @example
 * ```ts
 * const targets = databaseTargets({
 *   databaseUrl: process.env.DATABASE_URL,
 *   requirePostgres: isContinuousIntegration(process.env.CI),
 * });
 * ```
 */
export function isContinuousIntegration(value: string | boolean | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return false;
  return !falseValues.has(value.trim().toLowerCase());
}
