// Validating a 50-field submission: @civicblocks/forms' CompiledForm.validate
// (cached ajv validator + result mapping + the clock/cross-field rule pass)
// against raw ajv running a validator compiled from the same JSON Schema the
// form compiles to, with the same ajv options and formats.
import { createRequire } from 'node:module';
import { compileForm } from '@civicblocks/forms';
import { compare } from './lib/harness.mjs';

// ajv and ajv-formats as @civicblocks/forms itself resolves them.
const requireFromForms = createRequire(new URL('../packages/forms/package.json', import.meta.url));
const { Ajv2020 } = requireFromForms('ajv/dist/2020.js');
const addFormats = requireFromForms('ajv-formats');

const label = (text) => ({ vi: text, en: text });
const options = ['a', 'b', 'c'].map((value) => ({ value, label: label(value.toUpperCase()) }));

function fieldDefinition(index) {
  const id = `field${index}`;
  switch (index % 10) {
    case 0:
      return { type: 'fullName', id, label: label(`Name ${index}`) };
    case 1:
      return { type: 'email', id, label: label(`Email ${index}`) };
    case 2:
      return {
        type: 'number',
        id,
        label: label(`Number ${index}`),
        minimum: 0,
        maximum: 1000,
        integer: true,
      };
    case 3:
      return { type: 'date', id, label: label(`Date ${index}`) };
    case 4:
      return { type: 'radios', id, label: label(`Choice ${index}`), options };
    case 5:
      return { type: 'yesNo', id, label: label(`Yes or no ${index}`) };
    case 6:
      return { type: 'checkboxes', id, label: label(`Choices ${index}`), options };
    case 7:
      return { type: 'phone', id, label: label(`Phone ${index}`) };
    case 8:
      return { type: 'textarea', id, label: label(`Details ${index}`), maxLength: 500 };
    default:
      return {
        type: 'text',
        id,
        label: label(`Text ${index}`),
        maxLength: 100,
        pattern: '^[A-Za-z0-9 ]+$',
      };
  }
}

function answerFor(index) {
  switch (index % 10) {
    case 0:
      return 'Nguyễn Thị Minh Khai';
    case 1:
      return `person${index}@example.gov.vn`;
    case 2:
      return index * 7;
    case 3:
      return '1990-03-05';
    case 4:
      return 'b';
    case 5:
      return index % 2 === 0;
    case 6:
      return ['a', 'c'];
    case 7:
      return '+84912345678';
    case 8:
      return 'Tôi cần hỗ trợ đăng ký khai sinh cho con.';
    default:
      return `Reference ${index}`;
  }
}

export default async function run() {
  const fields = Array.from({ length: 50 }, (_, index) => fieldDefinition(index));
  const form = compileForm({
    id: 'bench-validate',
    version: '1',
    languages: ['vi', 'en'],
    title: label('Bench'),
    pages: [{ id: 'all', title: label('All'), components: fields }],
  });
  const submission = Object.fromEntries(fields.map((field, index) => [field.id, answerFor(index)]));

  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    unicodeRegExp: true,
  });
  addFormats.default(ajv, ['date', 'email']);
  const rawValidate = ajv.compile(form.formSchema());

  if (!form.validate(submission).valid || !rawValidate(submission))
    throw new Error('the bench submission must be valid');

  return compare({
    name: 'forms-validate',
    ours: () => form.validate(submission),
    baseline: { name: 'ajv (raw compiled validator)', fn: () => rawValidate(submission) },
    rounds: 40,
    batch: 2000,
    warmup: 5000,
  });
}
