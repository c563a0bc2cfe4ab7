import { isSchemaObject, type SchemaResolver } from './schema-resolver.js';
import { type ConditionalBranch, viewAll, viewSchema } from './schema-view.js';

const literal = (value: unknown): string | undefined => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  return undefined;
};

const supportedKeywords = new Set([
  'properties',
  'required',
  'type',
  '$comment',
  'title',
  'description',
]);

/**
 * The condition expression an `if` states about sibling answers, in the
 * form's condition language: `const`/`enum` tests of sibling properties
 * (`businessType == "company"`, `size in [1, 2]`), with JSON Schema's
 * meaning kept (a property the `if` does not require passes when absent),
 * and `required` as `answered(id)`. Anything else cannot be stated.
 */
export function conditionFromIf(
  branch: ConditionalBranch,
  resolver: SchemaResolver,
  sibling: (
    name: string,
  ) => { readonly id: string; readonly fromData: (value: unknown) => unknown } | undefined,
): string | { readonly problem: string } {
  if (branch.condition.schema === true) return 'true';
  if (branch.condition.schema === false) return 'false';
  const view = viewSchema(branch.condition, resolver);
  const own = isSchemaObject(branch.condition.schema) ? Object.keys(branch.condition.schema) : [];
  if (own.some((key) => !supportedKeywords.has(key)) || view.problems.length > 0)
    return { problem: 'its "if" is not about constants of sibling properties' };
  const parts: string[] = [];
  for (const [name, located] of view.properties) {
    const question = sibling(name);
    const property = viewAll(located, resolver);
    const values =
      property.constant !== undefined
        ? [property.constant.value]
        : property.choices?.map((choice) => choice.value);
    if (question === undefined || values === undefined)
      return { problem: `its "if" tests ${name}, which is not a question with constant choices` };
    const written = values.map((value) => literal(question.fromData(value)));
    if (written.some((value) => value === undefined))
      return { problem: `its "if" compares ${name} with a value a question cannot hold` };
    const test =
      written.length === 1
        ? `${question.id} == ${written[0]}`
        : `${question.id} in [${written.join(', ')}]`;
    parts.push(view.required.has(name) ? test : `(not answered(${question.id}) or ${test})`);
  }
  for (const name of view.required) {
    if (view.properties.has(name)) continue;
    const question = sibling(name);
    if (question === undefined)
      return { problem: `its "if" requires ${name}, which is not a question` };
    parts.push(`answered(${question.id})`);
  }
  return parts.length === 0 ? 'true' : parts.join(' and ');
}
