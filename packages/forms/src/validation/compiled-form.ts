import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { isQuestion } from '../components/component-kind.js';
import { contextualErrors, hasContextualRules } from '../components/contextual-rules.js';
import type { FieldError } from '../components/field-error.js';
import type { PostedFiles, PostedForm } from '../components/posted-form.js';
import { evaluateCondition } from '../conditions/condition-expression.js';
import { checkFormDefinition } from '../definition/check-definition.js';
import type { TypedFormDefinition } from '../definition/form-builder.js';
import type {
  ComponentDefinition,
  FormDefinition,
  FormLocale,
  PageDefinition,
  QuestionComponent,
} from '../definition/form-definition.js';
import { FormsError } from '../errors/forms-error.js';
import { mapAjvErrors, rootError } from './ajv-error-mapping.js';
import { pruneFormAnswers } from './answer-pruning.js';
import { createFormAjv, objectSchema, schemaDialect } from './form-ajv.js';
import { formSchemaOf, pageSchemaOf } from './form-schemas.js';
import type {
  CompileFormOptions,
  FormAnswers,
  PageReading,
  ValidationResult,
} from './form-types.js';
import { readFormPage } from './page-reading.js';
import { type PreparedPage, preparePages } from './prepared-pages.js';
import { repeaterErrors } from './repeater-validation.js';

export type { CompileFormOptions, FormAnswers, PageReading, ValidationResult };

/**
 * A form definition checked and compiled: JSON Schemas built, validators
 * compiled once and cached, conditions parsed. Create it once at start-up
 * with {@link compileForm} and share it. `Answers` is the type of complete
 * answers (`AnswersOf<typeof definition>` for a typed definition).
 *
 * @example
 * ```ts
 * const form = compileForm(definition);
 * const result = form.validate({ fullName: 'Nguyễn Văn A' });
 * if (!result.valid) console.log(result.errors.map((error) => error.message.vi));
 * ```
 */
export class CompiledForm<Answers = Record<string, unknown>> {
  /** The definition it was compiled from. */
  readonly definition: FormDefinition;
  /** Type-only marker of the answers type; always `undefined` at run time. */
  declare readonly answersType?: Answers;
  readonly #ajv: Ajv2020;
  readonly #pages: ReadonlyMap<string, PreparedPage>;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #questionsById: ReadonlyMap<string, QuestionComponent>;
  readonly #pageOfAnswer: ReadonlyMap<string, string>;
  readonly #contextual: readonly QuestionComponent[];
  readonly #clock: { now(): Date };
  readonly #todayFormat: Intl.DateTimeFormat;
  readonly #additionalValidation: ((answers: FormAnswers) => readonly FieldError[]) | undefined;
  #staticFormValidator: ValidateFunction | undefined;

  constructor(definition: FormDefinition, options: CompileFormOptions = {}) {
    this.definition = checkFormDefinition(definition);
    this.#clock = options.clock ?? { now: () => new Date() };
    this.#additionalValidation = options.additionalValidation;
    try {
      this.#todayFormat = new Intl.DateTimeFormat('en-CA', {
        timeZone: options.timeZone ?? 'UTC',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch (error) {
      throw new FormsError(
        'FORMS_INVALID_OPTION',
        'compileForm: timeZone is not a known time zone',
        { cause: error },
      );
    }
    this.#ajv = createFormAjv();
    const prepared = preparePages(this.definition);
    this.#pages = prepared.pages;
    this.#questionsById = prepared.questionsById;
    this.#pageOfAnswer = prepared.pageOfAnswer;
    this.#contextual = prepared.contextual;
    const { pages, hasConditions } = prepared;
    try {
      this.#staticFormValidator = hasConditions ? undefined : this.#ajv.compile(this.formSchema());
      for (const page of pages.values())
        this.#validatorFor(`page:${page.definition.id}:all`, () =>
          this.pageSchema(page.definition.id),
        );
    } catch (error) {
      throw new FormsError(
        'FORMS_INVALID_DEFINITION',
        'form definition: a question does not compile to JSON Schema',
        { cause: error },
      );
    }
  }

  /** Today's date (`YYYY-MM-DD`) in the form's time zone. */
  today(): string {
    return this.#todayFormat.format(this.#clock.now());
  }

  /** Every page of the definition, in order. */
  get pages(): readonly PageDefinition[] {
    return this.definition.pages;
  }

  /**
   * The page with this id.
   *
   * @throws {@link FormsError} `FORMS_UNKNOWN_PAGE`.
   */
  page(pageId: string): PageDefinition {
    const page = this.#pages.get(pageId);
    if (page === undefined) {
      throw new FormsError('FORMS_UNKNOWN_PAGE', 'no page with that id', {
        details: { pageId: pageId.slice(0, 100) },
      });
    }
    return page.definition;
  }

  /** True when the form has a page with this id. */
  hasPage(pageId: string): boolean {
    return this.#pages.has(pageId);
  }

  /** The question with this answer id (not inside a repeater). */
  question(answerId: string): QuestionComponent | undefined {
    return this.#questionsById.get(answerId);
  }

  /** The id of the page that asks this answer (a repeater's id for its items). */
  pageOfAnswer(answerId: string): string | undefined {
    return this.#pageOfAnswer.get(answerId);
  }

  /** True when the page is shown for these answers. */
  isPageVisible(pageId: string, answers: FormAnswers): boolean {
    const page = this.#pages.get(pageId);
    return (
      page !== undefined &&
      (page.condition === undefined || evaluateCondition(page.condition, answers))
    );
  }

  /** The pages shown for these answers, in order. */
  visiblePages(answers: FormAnswers): PageDefinition[] {
    return this.definition.pages.filter((page) => this.isPageVisible(page.id, answers));
  }

  /**
   * The components of a page shown for these answers (for a repeater item,
   * pass the item's answers as `item`; conditions then see them under their
   * own ids, over the form's answers).
   */
  visibleComponents(
    pageId: string,
    answers: FormAnswers,
    item?: FormAnswers,
  ): ComponentDefinition[] {
    const page = this.#pages.get(pageId);
    if (page === undefined) return [];
    const scope = item === undefined ? answers : { ...answers, ...item };
    return page.definition.components.filter((component) => {
      const condition = page.conditions.get(component.id);
      return condition === undefined || evaluateCondition(condition, scope);
    });
  }

  /** The questions of a page shown for these answers. */
  visibleQuestions(pageId: string, answers: FormAnswers, item?: FormAnswers): QuestionComponent[] {
    return this.visibleComponents(pageId, answers, item).filter(isQuestion);
  }

  /**
   * The JSON Schema 2020-12 of one page's values (for a repeater, of one
   * item), with every unconditional, non-optional question required.
   */
  pageSchema(pageId: string): Record<string, unknown> {
    const page = this.#pages.get(pageId);
    if (page === undefined) this.page(pageId);
    return pageSchemaOf(page);
  }

  /**
   * The JSON Schema 2020-12 of the whole form's answers. Questions of
   * unconditional pages that are not optional are required; repeaters are
   * arrays of items.
   */
  formSchema(): Record<string, unknown> {
    return formSchemaOf(this.definition, this.#pages);
  }

  #validatorFor(key: string, build: () => Record<string, unknown>): ValidateFunction {
    let validator = this.#validators.get(key);
    if (validator === undefined) {
      const schema = build();
      delete schema.$id;
      validator = this.#ajv.compile(schema);
      this.#validators.set(key, validator);
    }
    return validator;
  }

  /**
   * Validates the values of one page (or one repeater item, with its index)
   * that were read from a posted form or sent as JSON: JSON Schema through
   * ajv, then the checks that need the clock or other answers, then the
   * form's additional validation for this page's questions.
   */
  validatePageValues(
    pageId: string,
    values: Readonly<Record<string, unknown>>,
    answers: FormAnswers,
    item?: FormAnswers,
    itemIndex?: number,
  ): FieldError[] {
    return this.#pageErrors(pageId, values, answers, item, itemIndex, true);
  }

  #pageErrors(
    pageId: string,
    values: Readonly<Record<string, unknown>>,
    answers: FormAnswers,
    item: FormAnswers | undefined,
    itemIndex: number | undefined,
    withAdditional: boolean,
  ): FieldError[] {
    const questions = this.visibleQuestions(pageId, answers, item);
    const required = questions.filter((question) => question.optional !== true);
    const key = `page:${pageId}|${questions.map((question) => question.id).join(',')}|${required.map((question) => question.id).join(',')}`;
    const validator = this.#validatorFor(key, () => ({
      $schema: schemaDialect,
      ...objectSchema(
        questions,
        required.map((question) => question.id),
      ),
    }));
    const byId = new Map(questions.map((question) => [question.id, question] as const));
    const errors = validator(values)
      ? []
      : mapAjvErrors(validator.errors, (id) => byId.get(id), '');
    const failed = new Set(errors.map((error) => error.field));
    const today = this.today();
    const scope = { ...answers, ...values };
    for (const question of questions) {
      if (
        failed.has(question.id) ||
        values[question.id] === undefined ||
        !hasContextualRules(question)
      )
        continue;
      errors.push(...contextualErrors(question, values[question.id], { today, answers: scope }));
    }
    if (withAdditional && this.#additionalValidation !== undefined && errors.length === 0) {
      errors.push(...this.#additionalPageErrors(pageId, values, answers, byId, itemIndex));
    }
    const order = new Map(questions.map((question, index) => [question.id, index] as const));
    return errors.sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
  }

  #additionalPageErrors(
    pageId: string,
    values: Readonly<Record<string, unknown>>,
    answers: FormAnswers,
    byId: ReadonlyMap<string, QuestionComponent>,
    itemIndex: number | undefined,
  ): FieldError[] {
    const page = this.page(pageId);
    let merged: Record<string, unknown>;
    let prefix = '';
    if (page.kind === 'repeater') {
      if (itemIndex === undefined) return [];
      const items = Array.isArray(answers[pageId]) ? [...(answers[pageId] as unknown[])] : [];
      items[itemIndex] = values;
      merged = { ...answers, [pageId]: items };
      prefix = `${pageId}.${itemIndex}.`;
    } else {
      merged = { ...answers };
      for (const question of this.page(pageId).components) delete merged[question.id];
      Object.assign(merged, values);
    }
    const out: FieldError[] = [];
    for (const error of this.#additionalValidation?.(this.pruneAnswers(merged)) ?? []) {
      if (prefix === '' ? byId.has(error.field) : error.field.startsWith(prefix)) {
        const field = error.field.slice(prefix.length);
        if (byId.has(field)) out.push({ ...error, field });
      }
    }
    return out;
  }

  /**
   * Reads a posted page: every visible question is read from the posted
   * fields (text normalised to NFC, dates and phone numbers parsed), then
   * validated. Never throws on citizen input.
   */
  readPage(
    pageId: string,
    posted: PostedForm,
    options: {
      readonly locale: FormLocale;
      readonly answers: FormAnswers;
      readonly files?: PostedFiles;
      readonly item?: FormAnswers;
      readonly itemIndex?: number;
    },
  ): PageReading {
    return readFormPage(this, pageId, posted, options);
  }

  /**
   * Removes answers to questions and pages that are hidden by conditions
   * (after a citizen changes an earlier answer) and answers the form does
   * not ask (after the definition changed).
   */
  pruneAnswers(answers: FormAnswers): Record<string, unknown> {
    return pruneFormAnswers(this, answers);
  }

  /**
   * Validates a whole set of answers (for an API submission, or answers
   * resumed from a saved token): JSON Schema through ajv with the compiled
   * validator, then the clock and cross-answer checks. Answers to hidden
   * questions are ignored. Repeater errors have `field` like `children.0.name`.
   */
  validate(answers: FormAnswers): ValidationResult<Answers> {
    const own = this.#validateOwn(answers);
    if (!own.valid || this.#additionalValidation === undefined)
      return own as ValidationResult<Answers>;
    const errors = this.#additionalValidation(own.answers);
    return errors.length === 0
      ? (own as ValidationResult<Answers>)
      : { valid: false, errors: this.#orderErrors([...errors]) };
  }

  #validateOwn(answers: FormAnswers): ValidationResult {
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
      return { valid: false, errors: [rootError()] };
    }
    if (this.#staticFormValidator !== undefined) {
      const validator = this.#staticFormValidator;
      if (validator(answers)) {
        if (this.#contextual.length === 0) return { valid: true, answers };
        const today = this.today();
        const errors: FieldError[] = [];
        for (const question of this.#contextual) {
          const value = answers[question.id];
          if (value !== undefined)
            errors.push(...contextualErrors(question, value, { today, answers }));
        }
        return errors.length === 0 ? { valid: true, answers } : { valid: false, errors };
      }
      return {
        valid: false,
        errors: this.#orderErrors(
          mapAjvErrors(validator.errors, (id) => this.#questionsById.get(id), ''),
        ),
      };
    }
    const pruned = this.pruneAnswers(answers);
    const errors: FieldError[] = [];
    for (const page of this.visiblePages(pruned)) {
      if (page.kind === 'repeater') {
        errors.push(...this.#validateRepeater(page.id, pruned));
        continue;
      }
      const values: Record<string, unknown> = {};
      for (const question of this.visibleQuestions(page.id, pruned)) {
        if (pruned[question.id] !== undefined) values[question.id] = pruned[question.id];
      }
      errors.push(...this.#pageErrors(page.id, values, pruned, undefined, undefined, false));
    }
    return errors.length === 0 ? { valid: true, answers: pruned } : { valid: false, errors };
  }

  #validateRepeater(pageId: string, answers: FormAnswers): FieldError[] {
    const page = this.page(pageId);
    if (page.kind !== 'repeater') return [];
    return repeaterErrors(page, answers, (values, index) =>
      this.#pageErrors(pageId, values, answers, values, index, false),
    );
  }

  #orderErrors(errors: FieldError[]): FieldError[] {
    const ids = this.definition.pages.flatMap((page) =>
      page.kind === 'repeater'
        ? [page.id]
        : page.components.filter(isQuestion).map((question) => question.id),
    );
    const rank = (field: string): number => {
      const index = ids.indexOf(field.split('.')[0] ?? field);
      return index < 0 ? ids.length : index;
    };
    return errors.sort((a, b) => rank(a.field) - rank(b.field));
  }
}

/**
 * Checks and compiles a form definition: every page and the whole form get
 * a JSON Schema 2020-12, compiled once by ajv and cached on the result. A
 * definition made with `defineForm` keeps its answers type, so the handler's
 * `onSubmit` receives typed answers.
 *
 * @throws {@link FormsError} `FORMS_INVALID_DEFINITION`, `FORMS_INVALID_CONDITION`
 *   or `FORMS_INVALID_OPTION` when the definition cannot be used.
 * @example
 * ```ts
 * import { compileForm } from '@civicblocks/forms';
 *
 * const form = compileForm(definition, { timeZone: 'Asia/Ho_Chi_Minh' });
 * form.validate({ fullName: 'Nguyễn Văn A' });
 * ```
 */
export function compileForm<Answers = Record<string, unknown>>(
  definition: TypedFormDefinition<Answers>,
  options: CompileFormOptions = {},
): CompiledForm<Answers> {
  return new CompiledForm<Answers>(definition, options);
}
