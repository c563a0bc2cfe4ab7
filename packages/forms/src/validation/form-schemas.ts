import { questionSchema } from '../components/question-schema.js';
import type { FormDefinition } from '../definition/form-definition.js';
import { objectSchema, schemaDialect } from './form-ajv.js';
import type { PreparedPage } from './prepared-pages.js';

/**
 * The JSON Schema 2020-12 of one page's values (for a repeater, of one
 * item), with every unconditional, non-optional question required.
 */
export function pageSchemaOf(page: PreparedPage | undefined): Record<string, unknown> {
  const questions = page?.questions ?? [];
  const required = questions
    .filter((question) => question.optional !== true && question.condition === undefined)
    .map((question) => question.id);
  return { $schema: schemaDialect, ...objectSchema(questions, required) };
}

/**
 * The JSON Schema 2020-12 of a whole form's answers: questions of
 * unconditional pages that are not optional are required; repeaters are
 * arrays of items.
 */
export function formSchemaOf(
  definition: FormDefinition,
  pages: ReadonlyMap<string, PreparedPage>,
): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const page of pages.values()) {
    const definitionOfPage = page.definition;
    if (definitionOfPage.kind === 'repeater') {
      const itemSchema = pageSchemaOf(page);
      delete itemSchema.$schema;
      properties[definitionOfPage.id] = {
        type: 'array',
        items: itemSchema,
        ...(definitionOfPage.minItems === undefined ? {} : { minItems: definitionOfPage.minItems }),
        ...(definitionOfPage.maxItems === undefined ? {} : { maxItems: definitionOfPage.maxItems }),
      };
      if (page.condition === undefined && (definitionOfPage.minItems ?? 0) > 0)
        required.push(definitionOfPage.id);
      continue;
    }
    for (const question of page.questions) {
      properties[question.id] = questionSchema(question);
      if (
        page.condition === undefined &&
        question.condition === undefined &&
        question.optional !== true
      ) {
        required.push(question.id);
      }
    }
  }
  return {
    $schema: schemaDialect,
    $id: `urn:civicblocks:form:${definition.id}:${definition.version}`,
    title: definition.title.en,
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
}
