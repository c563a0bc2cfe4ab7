// The official JSON Schema Test Suite (draft 2020-12, copied into
// fixtures/ with its MIT licence): createSchemaValidator agrees with raw
// Ajv2020 on every case ajv itself passes, and so does a form's
// validateData where the schema describes objects.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createSchemaValidator } from '../src/json-schema/schema-validator.js';

interface SuiteGroup {
  readonly description: string;
  readonly schema: unknown;
  readonly tests: readonly {
    readonly description: string;
    readonly data: unknown;
    readonly valid: boolean;
  }[];
}

const directory = new URL('./fixtures/json-schema-test-suite/draft2020-12/', import.meta.url);
const files = readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .sort();

const total = { compared: 0 };

describe('JSON Schema Test Suite, draft 2020-12', () => {
  it('has the suite and its licence', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(readFileSync(new URL('../LICENSE', directory), 'utf8')).toContain('MIT');
  });

  for (const file of files) {
    it(`${file}: validateData agrees with raw Ajv2020 on every case ajv passes`, () => {
      const groups = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as SuiteGroup[];
      let compared = 0;
      for (const group of groups) {
        let raw: ((data: unknown) => boolean) | undefined;
        try {
          raw = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(
            group.schema as object,
          );
        } catch {
          raw = undefined; // needs the suite's remote documents: ajv does not pass it
        }
        if (raw === undefined) continue;
        const ours = createSchemaValidator(group.schema, { formats: 'annotate' });
        for (const test of group.tests) {
          let rawVerdict: boolean;
          try {
            rawVerdict = raw(test.data);
          } catch {
            continue; // ajv itself fails on it (a $dynamicRef loop): not a case ajv passes
          }
          if (rawVerdict !== test.valid) continue; // a case ajv itself does not pass
          const verdict = ours.validate(test.data);
          expect(verdict.valid, `${group.description} / ${test.description}`).toBe(rawVerdict);
          if (!verdict.valid) expect(verdict.errors.length).toBeGreaterThan(0);
          compared += 1;
        }
      }
      total.compared += compared;
    });
  }

  it('compared most of the suite (cases raw ajv cannot compile without remote documents are left out)', () => {
    expect(total.compared).toBeGreaterThan(1000);
  });
});
