import { describe, expectTypeOf, it } from 'vitest';
import { createMessageCatalogue, type MessageCatalogue } from './message-catalogue.js';

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
});
