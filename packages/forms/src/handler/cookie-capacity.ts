import { isQuestion } from '../components/component-kind.js';
import type { QuestionComponent } from '../definition/form-definition.js';
import type { CompiledForm } from '../validation/compiled-form.js';

/** Characters of one cookie chunk's value: with its name it stays under the 4,096 bytes browsers keep. */
export const cookieChunkCharacters = 3_800;
/** Bytes the answers cookies may add to a request's `Cookie` header by default (under Node's 16 KB header limit). */
export const defaultMaximumAnswerCookieBytes = 12_000;
/** Most cookies one form's answers may be split across by default. */
export const defaultMaximumAnswerCookies = 20;

/** UTF-8 bytes a JSON string of at most `characters` code points can take (4 per code point, quotes). */
const stringBytes = (characters: number): number => characters * 4 + 2;

function optionBytes(values: readonly string[]): number {
  return values.reduce((largest, value) => Math.max(largest, Buffer.byteLength(value) * 6 + 2), 0);
}

/** The largest JSON a valid answer to this question can take, key included. */
export function worstCaseAnswerBytes(question: QuestionComponent): number {
  const key = stringBytes(question.id.length) + 2;
  switch (question.type) {
    case 'text':
      return key + stringBytes(question.maxLength ?? 1000);
    case 'textarea':
      return key + stringBytes(question.maxLength ?? 10_000);
    case 'fullName':
      return key + stringBytes(question.maxLength ?? 200);
    case 'email':
      return key + stringBytes(254);
    case 'phone':
      return key + 20;
    case 'date':
      return key + 12;
    case 'number':
      return key + 26;
    case 'yesNo':
    case 'declaration':
      return key + 5;
    case 'nationalId':
      return key + 14;
    case 'radios':
    case 'select':
    case 'autocomplete':
      return key + optionBytes(question.options.map((option) => option.value));
    case 'checkboxes':
      return (
        key +
        2 +
        question.options.reduce((total, option) => total + optionBytes([option.value]) + 1, 0)
      );
    case 'address':
      // at most seven parts of 200 characters, with their keys
      return key + 2 + 7 * (stringBytes(200) + 16);
    case 'file':
      return (
        key +
        2 +
        (question.maxFiles ?? 1) *
          (stringBytes(255) + stringBytes(200) + optionBytes([...question.accept]) + 60)
      );
  }
}

/**
 * The largest sealed-cookie payload the form's valid answers can make, in
 * bytes of JSON (before compression, which never grows it by more than a
 * few bytes per block), or `Infinity` with the reason when it has no bound.
 */
export function worstCaseAnswersBytes(form: CompiledForm<unknown>): {
  readonly bytes: number;
  readonly unbounded?: string;
  readonly largest: readonly { readonly id: string; readonly bytes: number }[];
} {
  let bytes = 200 + form.definition.id.length * 4 + form.definition.version.length * 4;
  const sizes: { id: string; bytes: number }[] = [];
  for (const page of form.definition.pages) {
    const questions = page.components.filter(isQuestion);
    const itemBytes = questions.reduce(
      (total, question) => total + worstCaseAnswerBytes(question),
      2,
    );
    if (page.kind === 'repeater') {
      if (page.maxItems === undefined) {
        return { bytes: Number.POSITIVE_INFINITY, unbounded: page.id, largest: sizes };
      }
      const size = page.id.length * 4 + 6 + page.maxItems * (itemBytes + 1);
      sizes.push({ id: page.id, bytes: size });
      bytes += size;
      continue;
    }
    for (const question of questions) {
      const size = worstCaseAnswerBytes(question);
      sizes.push({ id: question.id, bytes: size });
      bytes += size;
    }
  }
  return { bytes, largest: sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 3) };
}

/** Characters of base64url a sealed payload of `jsonBytes` can take (deflate's worst case, version byte, IV, tag). */
export function worstCaseSealedCharacters(jsonBytes: number): number {
  const deflated = jsonBytes + 5 * Math.ceil(jsonBytes / 16_000) + 16;
  return Math.ceil(((1 + 12 + deflated + 16) * 4) / 3);
}
