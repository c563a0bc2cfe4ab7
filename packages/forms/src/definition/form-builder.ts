import type { LocalizedText } from '@civicblocks/core';
import type { UploadedFile } from '../components/posted-form.js';
import { checkFormDefinition } from './check-definition.js';
import type {
  ComponentDefinition,
  FormDefinition,
  FormLocale,
  PageDefinition,
  QuestionComponent,
  RepeaterPage,
  SectionDefinition,
} from './form-definition.js';

/**
 * The typed value a question's answer holds.
 *
 * @example
 * ```ts
 * type Value = AnswerOf<{ type: 'yesNo'; id: 'x'; label: { vi: ''; en: '' } }>; // boolean
 * ```
 */
export type AnswerOf<C> = C extends { readonly type: 'number' }
  ? number
  : C extends { readonly type: 'yesNo' }
    ? boolean
    : C extends { readonly type: 'declaration' }
      ? true
      : C extends { readonly type: 'checkboxes' }
        ? string[]
        : C extends { readonly type: 'file' }
          ? UploadedFile[]
          : C extends { readonly type: 'address' }
            ? Record<string, string>
            : string;

type AnswersOfComponents<Components extends readonly ComponentDefinition[]> = {
  [C in Components[number] as C extends QuestionComponent ? C['id'] : never]?: AnswerOf<C>;
};

/**
 * A form definition that remembers the type of its answers.
 *
 * @example
 * ```ts
 * type Answers = AnswersOf<typeof definition>;
 * ```
 */
export type TypedFormDefinition<Answers> = FormDefinition & { readonly answersType?: Answers };

/**
 * The answers type of a definition made with {@link defineForm}.
 *
 * @example
 * ```ts
 * const answers: AnswersOf<typeof definition> = { fullName: 'Nguyễn Văn A' };
 * ```
 */
export type AnswersOf<Definition> =
  Definition extends TypedFormDefinition<infer Answers> ? Answers : Record<string, unknown>;

type ConditionStart =
  `${'' | '!' | 'not '}${'' | '(' | '(('}${'' | 'answered(' | 'count(' | 'lower('}`;
type ConditionAfterId = ' ' | '.' | '[' | ')' | '=' | '!' | '<' | '>';

/**
 * A condition the typed builder accepts: after an optional `not`, `!`, `(`
 * or function name it starts with the id of an answer asked on an earlier
 * page, so a typo in that id is a type error. The whole expression, every
 * id in it included, is checked again when `build()` runs.
 *
 * @example
 * ```ts
 * const condition: ConditionOn<{ hasChildren?: boolean }> = 'hasChildren == true';
 * // @ts-expect-error 'hasChildern' is not an answer id
 * const typo: ConditionOn<{ hasChildren?: boolean }> = 'hasChildern == true';
 * ```
 */
export type ConditionOn<Answers> =
  | `${ConditionStart}${Extract<keyof Answers, string>}`
  | `${ConditionStart}${Extract<keyof Answers, string>}${ConditionAfterId}${string}`;

/**
 * A typed builder of form definitions. Each method returns a new builder;
 * `build()` checks the definition and returns plain data (serialisable to
 * JSON or YAML).
 *
 * @example
 * ```ts
 * const definition = defineForm({ id: 'apply', version: '1', title: { vi: 'Đăng ký', en: 'Apply' } })
 *   .question('name', { type: 'fullName', id: 'fullName', label: { vi: 'Họ và tên', en: 'Full name' } })
 *   .build();
 * ```
 */
export interface FormBuilder<Answers> {
  /** Declares a section pages can belong to. */
  section(id: string, title: LocalizedText): FormBuilder<Answers>;
  /** A page asking one question ("one thing per page"); the question is the heading. */
  question<const C extends QuestionComponent>(
    pageId: string,
    component: C,
    options?: { readonly condition?: ConditionOn<Answers>; readonly section?: string },
  ): FormBuilder<Answers & { [K in C['id']]?: AnswerOf<C> }>;
  /** A page with a heading and several components. */
  page<const Components extends readonly ComponentDefinition[]>(
    pageId: string,
    page: {
      readonly title?: LocalizedText;
      readonly components: Components;
      readonly condition?: ConditionOn<Answers>;
      readonly section?: string;
    },
  ): FormBuilder<Answers & AnswersOfComponents<Components>>;
  /** An "add another" page; the answer is an array of items. */
  repeater<const Id extends string, const Components extends readonly ComponentDefinition[]>(
    pageId: Id,
    page: Omit<RepeaterPage, 'kind' | 'id' | 'components' | 'condition'> & {
      readonly components: Components;
      readonly condition?: ConditionOn<Answers>;
    },
  ): FormBuilder<Answers & { [K in Id]?: AnswersOfComponents<Components>[] }>;
  /** Sets the check your answers page title, or turns the page off with `false`. */
  checkAnswers(options: false | { readonly title?: LocalizedText }): FormBuilder<Answers>;
  confirmation(options: {
    readonly title?: LocalizedText;
    readonly body?: LocalizedText;
  }): FormBuilder<Answers>;
  /** Checks and returns the definition. @throws {@link FormsError} */
  build(): TypedFormDefinition<Answers>;
}

interface BuilderState {
  readonly head: {
    readonly id: string;
    readonly version: string;
    readonly title: LocalizedText;
    readonly languages: readonly FormLocale[];
  };
  readonly sections: readonly SectionDefinition[];
  readonly pages: readonly PageDefinition[];
  readonly checkAnswers?: FormDefinition['checkAnswers'];
  readonly confirmation?: FormDefinition['confirmation'];
}

function builder<Answers>(state: BuilderState): FormBuilder<Answers> {
  const withPage = <Next>(page: PageDefinition): FormBuilder<Next> =>
    builder<Next>({ ...state, pages: [...state.pages, page] });
  return {
    section: (id, title) =>
      builder<Answers>({ ...state, sections: [...state.sections, { id, title }] }),
    question: (pageId, component, options = {}) =>
      withPage({
        id: pageId,
        components: [component],
        ...(options.condition === undefined ? {} : { condition: options.condition }),
        ...(options.section === undefined ? {} : { section: options.section }),
      }),
    page: (pageId, page) => withPage({ id: pageId, ...page }),
    repeater: (pageId, page) => withPage({ kind: 'repeater', id: pageId, ...page }),
    checkAnswers: (options) => builder<Answers>({ ...state, checkAnswers: options }),
    confirmation: (options) => builder<Answers>({ ...state, confirmation: options }),
    build: () =>
      checkFormDefinition({
        ...state.head,
        ...(state.sections.length === 0 ? {} : { sections: state.sections }),
        pages: state.pages,
        ...(state.checkAnswers === undefined ? {} : { checkAnswers: state.checkAnswers }),
        ...(state.confirmation === undefined ? {} : { confirmation: state.confirmation }),
      }),
  };
}

/**
 * Starts a typed form definition. Languages default to Vietnamese and
 * English.
 *
 * @example
 * ```ts
 * const definition = defineForm({ id: 'register-birth', version: '1', title: { vi: 'Đăng ký khai sinh', en: 'Register a birth' } })
 *   .question('child-name', { type: 'fullName', id: 'childName', label: { vi: 'Họ và tên của trẻ', en: "Child's full name" } })
 *   .question('child-dob', { type: 'date', id: 'childDateOfBirth', label: { vi: 'Ngày sinh của trẻ', en: "Child's date of birth" }, past: true })
 *   .build();
 * const form = compileForm(definition);
 * ```
 */
export function defineForm(head: {
  readonly id: string;
  readonly version: string;
  readonly title: LocalizedText;
  readonly languages?: readonly FormLocale[];
}): FormBuilder<object> {
  return builder<object>({
    head: {
      id: head.id,
      version: head.version,
      title: head.title,
      languages: head.languages ?? ['vi', 'en'],
    },
    sections: [],
    pages: [],
  });
}
