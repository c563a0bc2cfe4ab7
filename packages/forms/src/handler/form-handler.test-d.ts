import { describe, expectTypeOf, it } from 'vitest';
import { type AnswersOf, defineForm } from '../definition/form-builder.js';
import { type CompiledForm, compileForm } from '../validation/compiled-form.js';
import { createFormHandler } from './form-handler.js';

const label = { vi: 'Câu hỏi', en: 'Question' };

describe('typed answers reach onSubmit', () => {
  it('compileForm keeps the answers type and onSubmit receives it with the request', () => {
    const definition = defineForm({ id: 'apply', version: '1', title: label })
      .question('name', { type: 'fullName', id: 'fullName', label })
      .question('age', { type: 'number', id: 'age', label })
      .build();
    const form = compileForm(definition);
    expectTypeOf(form).toEqualTypeOf<CompiledForm<AnswersOf<typeof definition>>>();
    createFormHandler({
      form,
      basePath: '/apply',
      secret: 'x'.repeat(32),
      stylesheetHref: '/govuk.css',
      onSubmit: ({ answers, request, transaction }) => {
        expectTypeOf(answers.fullName).toEqualTypeOf<string | undefined>();
        expectTypeOf(answers.age).toEqualTypeOf<number | undefined>();
        expectTypeOf(request).toEqualTypeOf<Request>();
        // @ts-expect-error not a question of this form
        void answers.fullname;
        void transaction;
        return { reference: 'R-1' };
      },
    });
  });
});
