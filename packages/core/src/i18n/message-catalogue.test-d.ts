import { describe, expectTypeOf, it } from 'vitest';
import {
  createMessageCatalogue,
  type MessageCatalogue,
  negotiateLocale,
} from './message-catalogue.js';

describe('message catalogue types', () => {
  it('infers the message keys, so an unknown key is a type error', () => {
    const catalogue = createMessageCatalogue({
      messages: { en: { greeting: 'Hello', farewell: 'Bye' }, vi: { greeting: 'Xin chào' } },
    });
    expectTypeOf(catalogue).toEqualTypeOf<MessageCatalogue<'greeting' | 'farewell'>>();
    catalogue.translate('vi', 'greeting');
    // @ts-expect-error 'greetings' is not a message key
    catalogue.translate('vi', 'greetings');
  });

  it('keeps the literal type of the negotiated locale', () => {
    expectTypeOf(negotiateLocale('vi', ['vi', 'en'] as const)).toEqualTypeOf<'vi' | 'en'>();
    // @ts-expect-error the fallback must be one of the supported locales
    negotiateLocale('vi', ['vi', 'en'] as const, 'fr');
  });
});
