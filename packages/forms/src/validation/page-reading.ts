import type { FieldError } from '../components/field-error.js';
import { type ParseContext, parseField } from '../components/parse-field.js';
import type { PostedFiles, PostedForm } from '../components/posted-form.js';
import type { FormLocale } from '../definition/form-definition.js';
import type { CompiledForm, FormAnswers, PageReading } from './compiled-form.js';

/** What reading one posted page needs besides the posted fields. */
export interface PageReadingInput {
  readonly locale: FormLocale;
  readonly answers: FormAnswers;
  readonly files?: PostedFiles;
  readonly item?: FormAnswers;
  readonly itemIndex?: number;
}

/**
 * Reads every visible question of a page from the posted fields, then
 * validates the typed values; conditions inside the page may depend on
 * answers given on the same page, so visibility is settled first.
 */
export function readFormPage(
  form: CompiledForm<unknown>,
  pageId: string,
  posted: PostedForm,
  options: PageReadingInput,
): PageReading {
  const context: ParseContext = {
    locale: options.locale,
    currentYear: Number(form.today().slice(0, 4)),
    files: options.files ?? {},
  };
  const values: Record<string, unknown> = {};
  const parseErrors: FieldError[] = [];
  let questions = form.visibleQuestions(pageId, options.answers, options.item);
  for (let pass = 0; pass < 3; pass += 1) {
    for (const question of questions) {
      const parsed = parseField(question, posted, context);
      if (parsed.value !== undefined) values[question.id] = parsed.value;
      else delete values[question.id];
      if (pass === 0) parseErrors.push(...parsed.errors);
    }
    const next = form.visibleQuestions(pageId, options.answers, { ...options.item, ...values });
    if (
      next.length === questions.length &&
      next.every((question, index) => question === questions[index])
    )
      break;
    questions = next;
    for (const key of Object.keys(values))
      if (!questions.some((question) => question.id === key)) delete values[key];
  }
  const visibleIds = new Set(questions.map((question) => question.id));
  const parseFailed = new Set(
    parseErrors.filter((error) => visibleIds.has(error.field)).map((error) => error.field),
  );
  const schemaErrors = form
    .validatePageValues(
      pageId,
      values,
      options.answers,
      { ...options.item, ...values },
      options.itemIndex,
    )
    .filter((error) => !parseFailed.has(error.field));
  const order = new Map(questions.map((question, index) => [question.id, index] as const));
  const errors = [
    ...parseErrors.filter((error) => visibleIds.has(error.field)),
    ...schemaErrors,
  ].sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
  return { values, errors };
}
