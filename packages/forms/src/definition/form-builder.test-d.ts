import { describe, expectTypeOf, it } from 'vitest';
import type { UploadedFile } from '../components/posted-form.js';
import { type AnswersOf, defineForm } from './form-builder.js';

const title = { vi: 'Đăng ký', en: 'Apply' };
const label = { vi: 'Câu hỏi', en: 'Question' };

describe('defineForm types', () => {
  it('infers the answers of every question, page and repeater', () => {
    const definition = defineForm({ id: 'apply', version: '1', title })
      .question('name', { type: 'fullName', id: 'fullName', label })
      .question('age', { type: 'number', id: 'age', label })
      .question('children', { type: 'yesNo', id: 'hasChildren', label })
      .page('contact', {
        components: [
          { type: 'email', id: 'email', label },
          { type: 'checkboxes', id: 'benefits', label, options: [{ value: 'a', label }] },
          { type: 'paragraph', id: 'note', text: label },
        ],
      })
      .repeater('child', {
        title: label,
        itemName: label,
        condition: 'hasChildren == true',
        components: [{ type: 'date', id: 'childDateOfBirth', label }],
      })
      .question('evidence', {
        type: 'file',
        id: 'evidence',
        label,
        accept: ['application/pdf'],
        maxBytes: 1_000_000,
      })
      .question('declaration', { type: 'declaration', id: 'declaration', label, text: label })
      .build();
    type Answers = AnswersOf<typeof definition>;
    expectTypeOf<Answers['fullName']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Answers['age']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Answers['hasChildren']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Answers['email']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Answers['benefits']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Answers['child']>().toEqualTypeOf<{ childDateOfBirth?: string }[] | undefined>();
    expectTypeOf<Answers['evidence']>().toEqualTypeOf<UploadedFile[] | undefined>();
    expectTypeOf<Answers['declaration']>().toEqualTypeOf<true | undefined>();
    const answers: Answers = { fullName: 'Nguyễn Văn A', age: 30 };
    // @ts-expect-error 'fullNmae' is not an answer id of this form
    answers.fullNmae;
    // @ts-expect-error an age is a number, not a string
    const wrong: Answers = { age: '30' };
    void wrong;
  });

  it('rejects a component type the package does not have', () => {
    defineForm({ id: 'apply', version: '1', title })
      // @ts-expect-error 'signature' is not a component type
      .question('sign', { type: 'signature', id: 'signature', label });
    defineForm({ id: 'apply', version: '1', title }).page('many', {
      // @ts-expect-error 'slider' is not a component type
      components: [{ type: 'slider', id: 'level', label }],
    });
  });

  it('makes a typo in a condition’s answer id a type error', () => {
    const base = defineForm({ id: 'apply', version: '1', title }).question('children', {
      type: 'yesNo',
      id: 'hasChildren',
      label,
    });
    base.question('count', { type: 'number', id: 'count', label }, { condition: 'hasChildren' });
    base.question(
      'count',
      { type: 'number', id: 'count', label },
      { condition: 'not (hasChildren == false)' },
    );
    base.question(
      'count',
      { type: 'number', id: 'count', label },
      // @ts-expect-error 'hasChildern' is not an answer id
      { condition: 'hasChildern == true' },
    );
    base.page('more', {
      components: [{ type: 'text', id: 'more', label }],
      // @ts-expect-error 'haschildren' is not an answer id (ids are case-sensitive)
      condition: 'haschildren == true',
    });
    base.repeater('child', {
      title: label,
      itemName: label,
      components: [{ type: 'text', id: 'childName', label }],
      // @ts-expect-error a condition may not refer to an answer the form does not ask earlier
      condition: 'childName == "An"',
    });
  });
});
