/**
 * The stable entry point of `@civicblocks/forms`: form definitions (data,
 * YAML or the typed builder), JSON Schema 2020-12 validation, GOV.UK
 * Frontend rendering in Vietnamese and English, the journey handler and its
 * answer stores. Test helpers are behind `@civicblocks/forms/testing`.
 *
 * @packageDocumentation
 * @module @civicblocks/forms
 */

export {
  formatUkPostcode,
  matchVietnamProvince,
  ukPostcodeSchemaPattern,
  type VietnamProvinceMatch,
} from './components/address.js';
// components
export { answerToInputs, formatAnswer } from './components/answer-format.js';
export { dateInputs, firstInputId, isContent, isQuestion } from './components/component-kind.js';
export { contextualErrors, hasContextualRules } from './components/contextual-rules.js';
export {
  type DatePartsOutcome,
  formatIsoDate,
  parseDateParts,
  parseMonth,
  shiftIsoDate,
} from './components/date-parts.js';
export { type FieldError, type MessageValues, makeFieldError } from './components/field-error.js';
export {
  compactIdentifier,
  readVietnamCitizenId,
  ukNationalInsurancePattern,
  type VietnamCitizenIdReading,
  vietnamCitizenIdPattern,
  vietnamLegacyIdPattern,
} from './components/national-id.js';
export { type ParseContext, parseField } from './components/parse-field.js';
export {
  allValues,
  createPostedForm,
  firstValue,
  type ParsedField,
  type PostedFiles,
  type PostedForm,
  type UploadedFile,
} from './components/posted-form.js';
export { questionSchema } from './components/question-schema.js';
export { errorFromSchemaKeyword, requiredCode } from './components/schema-errors.js';
export {
  type CurrentProvince,
  currentProvinces,
  type LegacyProvince,
  legacyProvinces,
} from './components/vietnam-provinces.js';
// conditions
export {
  type ConditionNode,
  conditionAnswerIds,
  evaluateCondition,
  parseCondition,
} from './conditions/condition-expression.js';
export { checkFormDefinition } from './definition/check-definition.js';
export {
  type AnswerOf,
  type AnswersOf,
  type ConditionOn,
  defineForm,
  type FormBuilder,
  type TypedFormDefinition,
} from './definition/form-builder.js';
// definition
export type {
  AddressComponent,
  AutocompleteComponent,
  CheckboxesComponent,
  ChoiceOption,
  ComponentDefinition,
  ContentComponent,
  DateComponent,
  DateLimit,
  DeclarationComponent,
  EmailComponent,
  FileComponent,
  FormDefinition,
  FormLocale,
  FullNameComponent,
  MessageOverrides,
  NationalIdComponent,
  NationalIdScheme,
  NumberComponent,
  PageDefinition,
  PhoneComponent,
  QuestionBase,
  QuestionComponent,
  QuestionPage,
  RadiosComponent,
  RepeaterPage,
  SectionDefinition,
  SelectComponent,
  TextareaComponent,
  TextComponent,
  YesNoComponent,
} from './definition/form-definition.js';
export { parseFormDefinition } from './definition/parse-definition.js';
// errors
export { FormsError, type FormsErrorCode } from './errors/forms-error.js';
export { createFormHandler } from './handler/form-handler.js';
export type {
  FileStorage,
  FormHandlerOptions,
  FormSubmission,
  SubmitOutcome,
} from './handler/handler-options.js';
// messages and text
export {
  type FieldErrorCode,
  fillMessage,
  formMessages,
  type InterfaceTextKey,
  type InterfaceTextOverrides,
  interfaceText,
  textFor,
} from './i18n/form-messages.js';
export {
  type AnswerSealer,
  type AnswerSealerOptions,
  createAnswerSealer,
  resumeAnswers,
  type SavedAnswers,
} from './journey/answer-seal.js';
// journey
export {
  canVisit,
  firstIncompleteRoute,
  inputsForRoute,
  type JourneyRoute,
  type JourneyStep,
  type PageSubmission,
  parseRoutePath,
  previousRoute,
  routePath,
  submitPage,
} from './journey/form-journey.js';
// JSON Schema as a form source
export {
  formFromJsonSchema,
  type JsonSchemaForm,
  type JsonSchemaFormOptions,
} from './json-schema/json-schema-form.js';
export {
  createSchemaValidator,
  type SchemaValidator,
  type SchemaValidatorOptions,
} from './json-schema/schema-validator.js';
export type { SuppliedComponent } from './json-schema/schema-walk.js';
export {
  type QuestionRenderContext,
  renderContent,
  renderErrorSummary,
  renderQuestion,
} from './render/component-html.js';
// rendering
export { escapeLines } from './render/escape-html.js';
export {
  type DocumentOptions,
  type RenderedPage,
  type RenderFormPageOptions,
  renderDocument,
  renderFormPage,
} from './render/page-html.js';
// server-side answers
export {
  type AnswerStore,
  createSessionId,
  isSessionId,
  type StoredAnswers,
} from './store/answer-store.js';
export {
  createSqlAnswerStore,
  formsAnswersTable,
  formsMigrations,
  type SqlAnswerStore,
  type SqlAnswerStoreOptions,
} from './store/sql-answer-store.js';
export { foldForComparison, normaliseMultilineText, normaliseText } from './text/normalise.js';
// validation
export {
  CompiledForm,
  type CompileFormOptions,
  compileForm,
  type FormAnswers,
  type PageReading,
  type ValidationResult,
} from './validation/compiled-form.js';
