import { parse as parseYaml } from 'yaml';
import { FormsError } from '../errors/forms-error.js';
import { checkFormDefinition } from './check-definition.js';
import type { FormDefinition } from './form-definition.js';

/**
 * Reads a form definition from JSON or YAML text and checks it.
 *
 * @throws {@link FormsError} `FORMS_INVALID_DEFINITION` when the text does not
 *   parse or the definition is wrong (with `details.path`).
 * @example
 * ```ts
 * const definition = parseFormDefinition(await readFile('register-birth.yaml', 'utf8'), 'yaml');
 * ```
 */
export function parseFormDefinition(
  text: string,
  format: 'json' | 'yaml' = 'json',
): FormDefinition {
  let value: unknown;
  try {
    value = format === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new FormsError(
      'FORMS_INVALID_DEFINITION',
      `form definition: the ${format.toUpperCase()} does not parse`,
      {
        cause: error,
        details: { format },
      },
    );
  }
  return checkFormDefinition(value);
}
