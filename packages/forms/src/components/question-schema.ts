import type { ChoiceOption, QuestionComponent } from '../definition/form-definition.js';
import { ukPostcodeSchemaPattern } from './address.js';
import {
  ukNationalInsurancePattern,
  vietnamCitizenIdPattern,
  vietnamLegacyIdPattern,
} from './national-id.js';
import { currentProvinces, legacyProvinces } from './vietnam-provinces.js';

const stringSchema = (extra: Record<string, unknown>): Record<string, unknown> => ({
  type: 'string',
  ...extra,
});

function optionValues(options: readonly ChoiceOption[]): string[] {
  return options.map((option) => option.value);
}

/**
 * The JSON Schema 2020-12 of one question's value (not including whether it
 * is required, which depends on the page and its conditions).
 *
 * @example
 * ```ts
 * questionSchema({ type: 'email', id: 'email', label: { vi: 'Email', en: 'Email' } });
 * // { type: 'string', format: 'email', maxLength: 254 }
 * ```
 */
export function questionSchema(component: QuestionComponent): Record<string, unknown> {
  switch (component.type) {
    case 'text':
      return stringSchema({
        minLength: component.minLength ?? 1,
        maxLength: component.maxLength ?? 1000,
        ...(component.pattern === undefined ? {} : { pattern: component.pattern }),
      });
    case 'textarea':
      return stringSchema({ minLength: 1, maxLength: component.maxLength ?? 10000 });
    case 'fullName':
      return stringSchema({ minLength: 1, maxLength: component.maxLength ?? 200 });
    case 'number':
      return {
        type: component.integer === true ? 'integer' : 'number',
        ...(component.minimum === undefined ? {} : { minimum: component.minimum }),
        ...(component.maximum === undefined ? {} : { maximum: component.maximum }),
      };
    case 'email':
      return stringSchema({ format: 'email', maxLength: 254 });
    case 'phone':
      return stringSchema({ pattern: '^\\+[1-9][0-9]{6,14}$' });
    case 'date':
      return stringSchema({ format: 'date' });
    case 'yesNo':
      return { type: 'boolean' };
    case 'radios':
    case 'select':
    case 'autocomplete':
      return stringSchema({ enum: optionValues(component.options) });
    case 'checkboxes':
      return {
        type: 'array',
        items: { type: 'string', enum: optionValues(component.options) },
        uniqueItems: true,
        minItems: Math.max(1, component.minSelected ?? 1),
        ...(component.maxSelected === undefined ? {} : { maxItems: component.maxSelected }),
      };
    case 'nationalId': {
      const patterns = component.schemes.map((scheme) =>
        scheme === 'vn-citizen-id'
          ? vietnamCitizenIdPattern
          : scheme === 'vn-legacy-id'
            ? vietnamLegacyIdPattern
            : ukNationalInsurancePattern,
      );
      return stringSchema({ pattern: patterns.map((pattern) => `(?:${pattern})`).join('|') });
    }
    case 'address': {
      const line = stringSchema({ minLength: 1, maxLength: 200 });
      if (component.format === 'vn') {
        return {
          type: 'object',
          properties: {
            scheme: { enum: ['vn-2025', 'vn-legacy'] },
            line1: line,
            line2: line,
            commune: line,
            district: line,
            province: stringSchema({}),
            provinceCode: stringSchema({ pattern: '^[0-9]{2,3}$' }),
          },
          required: ['scheme', 'line1', 'commune', 'province', 'provinceCode'],
          additionalProperties: false,
          if: { properties: { scheme: { const: 'vn-legacy' } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword.
          then: {
            required: ['district'],
            properties: { province: { enum: legacyProvinces.map((province) => province.name) } },
          },
          else: {
            not: { required: ['district'] },
            properties: { province: { enum: currentProvinces.map((province) => province.name) } },
          },
        };
      }
      if (component.format === 'uk') {
        return {
          type: 'object',
          properties: {
            line1: line,
            line2: line,
            town: line,
            postcode: stringSchema({ pattern: ukPostcodeSchemaPattern }),
          },
          required: ['line1', 'town', 'postcode'],
          additionalProperties: false,
        };
      }
      return {
        type: 'object',
        properties: {
          line1: line,
          line2: line,
          town: line,
          region: line,
          postalCode: line,
          country: line,
        },
        required: ['line1', 'country'],
        additionalProperties: false,
      };
    }
    case 'file':
      return {
        type: 'array',
        minItems: 1,
        maxItems: component.maxFiles ?? 1,
        items: {
          type: 'object',
          properties: {
            name: stringSchema({ minLength: 1, maxLength: 255 }),
            type: { enum: [...component.accept] },
            size: { type: 'integer', minimum: 1, maximum: component.maxBytes },
            id: stringSchema({ maxLength: 200 }),
          },
          required: ['name', 'type', 'size'],
          additionalProperties: false,
        },
      };
    case 'declaration':
      return { const: true };
  }
}
