import { InvalidInputError } from '../errors/core-errors.js';

/**
 * One message: a template with `{name}` placeholders, or plural forms keyed
 * by `Intl.PluralRules` category (`other` is required) and chosen by the
 * `count` value.
 *
 * @example
 * ```ts
 * const files: MessageTemplate = { one: '{count} file', other: '{count} files' };
 * ```
 */
export type MessageTemplate =
  | string
  | {
      readonly zero?: string;
      readonly one?: string;
      readonly two?: string;
      readonly few?: string;
      readonly many?: string;
      readonly other: string;
    };

/**
 * A value put into a placeholder. Numbers and dates are formatted for the
 * locale; strings are escaped for HTML unless wrapped by {@link unsafeHtml}.
 *
 * @example
 * ```ts
 * const values: Readonly<Record<string, MessageValue>> = { name: 'Nguyễn Văn An', count: 2 };
 * ```
 */
export type MessageValue = string | number | bigint | Date | UnsafeHtml;

/**
 * Markup that {@link MessageCatalogue.translate} inserts without escaping.
 * Make one only with {@link unsafeHtml}, and never from citizen input.
 *
 * @example
 * ```ts
 * const link: UnsafeHtml = unsafeHtml('<a href="/help">help</a>');
 * ```
 */
export interface UnsafeHtml {
  readonly unsafeHtml: string;
}

/**
 * Marks trusted markup (never citizen input) to be inserted unescaped.
 *
 * @example
 * ```ts
 * catalogue.translate('en', 'see-help', { link: unsafeHtml('<a href="/help">help</a>') });
 * ```
 */
export function unsafeHtml(markup: string): UnsafeHtml {
  return Object.freeze({ unsafeHtml: String(markup), [unsafeHtmlMarker]: true });
}

/**
 * Marks objects made by {@link unsafeHtml}. A symbol, so no parsed JSON (say,
 * a request body passed on as a value by mistake) can pose as trusted markup.
 */
const unsafeHtmlMarker: unique symbol = Symbol.for('civicblocks.unsafeHtml') as never;

function isUnsafeHtml(value: object): value is UnsafeHtml {
  return (value as { [unsafeHtmlMarker]?: unknown })[unsafeHtmlMarker] === true;
}

/**
 * Options of {@link createMessageCatalogue}.
 *
 * @example
 * ```ts
 * const options: MessageCatalogueOptions<'greeting'> = {
 *   messages: { en: { greeting: 'Hello {name}' }, vi: { greeting: 'Xin chào {name}' } },
 * };
 * ```
 */
export interface MessageCatalogueOptions<Key extends string> {
  /** Messages per locale (BCP 47 tags such as `vi`, `en`, `en-GB`). */
  readonly messages: Readonly<Record<string, Readonly<Partial<Record<Key, MessageTemplate>>>>>;
  /** The last locale of every fallback chain. Default `en`. */
  readonly defaultLocale?: string;
  /** Time zone for dates put into messages. Default `UTC`. */
  readonly timeZone?: string;
}

/**
 * Messages in several locales, looked up along a fallback chain
 * (`vi-VN` → `vi` → the default locale).
 *
 * @example
 * ```ts
 * const catalogue: MessageCatalogue<'greeting'> = createMessageCatalogue({
 *   messages: { en: { greeting: 'Hello {name}' }, vi: { greeting: 'Xin chào {name}' } },
 * });
 * ```
 */
export interface MessageCatalogue<Key extends string> {
  /** The locales that have messages, the default first. */
  readonly locales: readonly string[];
  /**
   * The message for `key` in `locale` (or the first locale of its fallback
   * chain that has it), with placeholders filled in and escaped for HTML.
   *
   * @throws {@link InvalidInputError} `I18N_MISSING_MESSAGE` when no locale of
   *   the chain has the key; `INVALID_ARGUMENT` when a placeholder has no value.
   */
  translate(locale: string, key: Key, values?: Readonly<Record<string, MessageValue>>): string;
  /**
   * As {@link MessageCatalogue.translate}, but without HTML escaping: only
   * for text that is never parsed as HTML (an SMS, a plain-text email, a
   * `text/plain` body). Never put its result into HTML.
   */
  translatePlainText(
    locale: string,
    key: Key,
    values?: Readonly<Record<string, MessageValue>>,
  ): string;
  /** True when `locale` or its fallback chain has `key`. */
  has(locale: string, key: string): key is Key;
  /** The locales looked at for `locale`, in order, that have messages. */
  fallbackChain(locale: string): readonly string[];
}

const placeholder = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const htmlEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<script>'); // '&lt;script&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  // most text has nothing to escape: test first, and skip building a new string
  return htmlSpecial.test(text)
    ? text.replace(htmlSpecials, (character) => htmlEscapes[character] ?? character)
    : text;
}

const htmlSpecial = /[&<>"'`]/;
const htmlSpecials = /[&<>"'`]/g;

/**
 * Creates a catalogue. Messages are normalised to Unicode NFC, so
 * Vietnamese text compares and renders the same whichever way it was typed.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` when the default locale
 *   has no messages or a locale tag is malformed.
 * @example
 * ```ts
 * const catalogue = createMessageCatalogue({
 *   messages: {
 *     en: { welcome: 'Welcome, {name}', files: { one: '{count} file', other: '{count} files' } },
 *     vi: { welcome: 'Chào mừng, {name}', files: '{count} tệp' },
 *   },
 * });
 * catalogue.translate('vi-VN', 'welcome', { name: 'Trần Thị Bình' }); // 'Chào mừng, Trần Thị Bình'
 * catalogue.translate('en', 'files', { count: 2 }); // '2 files'
 * ```
 */
export function createMessageCatalogue<Key extends string>(
  options: MessageCatalogueOptions<Key>,
): MessageCatalogue<Key> {
  const defaultLocale = canonicalLocale(options.defaultLocale ?? 'en', 'defaultLocale');
  const timeZone = options.timeZone ?? 'UTC';
  const table = new Map<string, ReadonlyMap<string, MessageTemplate>>();
  for (const [locale, messages] of Object.entries(options.messages)) {
    const entries = Object.entries(messages as Record<string, MessageTemplate | undefined>)
      .filter((entry): entry is [string, MessageTemplate] => entry[1] !== undefined)
      .map(([key, template]): [string, MessageTemplate] => [key, normaliseTemplate(template)]);
    table.set(canonicalLocale(locale, 'messages'), new Map(entries));
  }
  const defaultMessages = table.get(defaultLocale);
  if (defaultMessages === undefined) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'the default locale has no messages', {
      details: { argument: 'defaultLocale', locale: defaultLocale },
    });
  }
  // The default locale ends every fallback chain, so it must hold every key.
  const incomplete = [
    ...new Set([...table.values()].flatMap((messages) => [...messages.keys()])),
  ].filter((key) => !defaultMessages.has(key));
  if (incomplete.length > 0) {
    throw new InvalidInputError(
      'INVALID_ARGUMENT',
      `the default locale lacks ${incomplete.length} message(s) other locales have: ${incomplete.slice(0, 10).join(', ')}`,
      { details: { argument: 'messages', locale: defaultLocale, missingKeys: incomplete } },
    );
  }
  const locales = [
    defaultLocale,
    ...[...table.keys()].filter((locale) => locale !== defaultLocale),
  ];
  const pluralRules = new Map<string, Intl.PluralRules>();
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const dateFormats = new Map<string, Intl.DateTimeFormat>();

  const fallbackChain = (locale: string): readonly string[] => {
    const chain: string[] = [];
    let tag: string;
    try {
      tag = canonicalLocale(locale, 'locale');
    } catch {
      tag = defaultLocale;
    }
    for (let parts = tag.split('-'); parts.length > 0; parts = parts.slice(0, -1)) {
      const candidate = parts.join('-');
      if (table.has(candidate) && !chain.includes(candidate)) chain.push(candidate);
    }
    if (!chain.includes(defaultLocale)) chain.push(defaultLocale);
    return chain;
  };

  const lookup = (locale: string, key: string): [string, MessageTemplate] | undefined => {
    for (const candidate of fallbackChain(locale)) {
      const template = table.get(candidate)?.get(key);
      if (template !== undefined) return [candidate, template];
    }
    return undefined;
  };

  const cached = <T>(cache: Map<string, T>, locale: string, make: () => T): T => {
    let value = cache.get(locale);
    if (value === undefined) {
      value = make();
      cache.set(locale, value);
    }
    return value;
  };

  const render = (
    locale: string,
    key: Key,
    values: Readonly<Record<string, MessageValue>>,
    escapeForHtml: boolean,
  ): string => {
    const found = lookup(locale, key);
    if (found === undefined) {
      throw new InvalidInputError('I18N_MISSING_MESSAGE', `no locale has the message "${key}"`, {
        details: { key, chain: fallbackChain(locale) },
      });
    }
    const [resolved, template] = found;
    let text: string;
    if (typeof template === 'string') {
      text = template;
    } else {
      const count = Number(values.count);
      const category = Number.isFinite(count)
        ? cached(pluralRules, resolved, () => new Intl.PluralRules(resolved)).select(count)
        : 'other';
      text = template[category] ?? template.other;
    }
    return text.replace(placeholder, (_match, name: string) => {
      const value = values[name];
      if (value === undefined) {
        throw new InvalidInputError(
          'INVALID_ARGUMENT',
          `the message "${key}" needs a value for {${name}}`,
          {
            details: { key, placeholder: name },
          },
        );
      }
      if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
        if (isUnsafeHtml(value)) return value.unsafeHtml;
        throw new InvalidInputError(
          'INVALID_ARGUMENT',
          `the value for {${name}} in "${key}" must be a string, number, bigint, Date or unsafeHtml(...)`,
          { details: { key, placeholder: name } },
        );
      }
      let formatted: string;
      if (typeof value === 'number' || typeof value === 'bigint') {
        formatted = cached(numberFormats, resolved, () => new Intl.NumberFormat(resolved)).format(
          value,
        );
      } else if (value instanceof Date) {
        formatted = cached(
          dateFormats,
          resolved,
          () => new Intl.DateTimeFormat(resolved, { dateStyle: 'long', timeZone }),
        ).format(value);
      } else {
        formatted = String(value).normalize('NFC');
      }
      return escapeForHtml ? escapeHtml(formatted) : formatted;
    });
  };

  return {
    locales,
    translate: (locale, key, values = {}) => render(locale, key, values, true),
    translatePlainText: (locale, key, values = {}) => render(locale, key, values, false),
    has: (locale, key): key is Key => lookup(locale, key) !== undefined,
    fallbackChain,
  };
}

/**
 * The best of `supported` for an `Accept-Language` header: ranges are taken
 * in order of quality (`q=0` excluded), each matched exactly, then by
 * dropping subtags (`vi-VN` finds `vi`), then by language (`vi` finds
 * `vi-VN`); `*` takes the first supported locale. Malformed entries are
 * skipped. Returns `fallback` (by default the first supported locale) when
 * nothing fits.
 *
 * @throws {@link InvalidInputError} `INVALID_ARGUMENT` when `supported` is empty.
 * @example
 * ```ts
 * import { negotiateLocale } from '@civicblocks/core';
 *
 * const locale = negotiateLocale(request.headers.get('accept-language'), ['vi', 'en'] as const);
 * // 'vi' for 'vi-VN,vi;q=0.9,en;q=0.8'; 'en' for 'en-GB'; 'vi' for 'fr' or no header
 * ```
 */
export function negotiateLocale<Locale extends string>(
  acceptLanguage: string | null | undefined,
  supported: readonly Locale[],
  fallback?: NoInfer<Locale>,
): Locale {
  const first = supported[0];
  if (first === undefined) {
    throw new InvalidInputError('INVALID_ARGUMENT', 'supported must list at least one locale', {
      details: { argument: 'supported' },
    });
  }
  const chosen = fallback ?? first;
  if (typeof acceptLanguage !== 'string' || acceptLanguage === '') return chosen;
  const ranges = acceptLanguage
    .slice(0, 4096)
    .split(',', 64)
    .map((part, index) => {
      const [range = '', ...parameters] = part.split(';');
      let quality = 1;
      for (const parameter of parameters) {
        const match = /^\s*q\s*=\s*([01](?:\.[0-9]{0,3})?)\s*$/i.exec(parameter);
        if (match?.[1] !== undefined) quality = Math.min(1, Number(match[1]));
      }
      return { range: range.trim().toLowerCase(), quality, index };
    })
    .filter(
      ({ range, quality }) => quality > 0 && /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/.test(range),
    )
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  const lower = supported.map((locale) => locale.toLowerCase());
  const find = (predicate: (locale: string) => boolean): Locale | undefined => {
    const index = lower.findIndex(predicate);
    return index < 0 ? undefined : supported[index];
  };
  for (const { range } of ranges) {
    if (range === '*') return first;
    for (let parts = range.split('-'); parts.length > 0; parts = parts.slice(0, -1)) {
      const candidate = parts.join('-');
      const match = find((locale) => locale === candidate);
      if (match !== undefined) return match;
    }
    const language = range.split('-')[0];
    const sameLanguage = find((locale) => locale.split('-')[0] === language);
    if (sameLanguage !== undefined) return sameLanguage;
  }
  return chosen;
}

function canonicalLocale(locale: string, argument: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical !== undefined) return canonical;
  } catch {
    // reported below
  }
  throw new InvalidInputError('INVALID_ARGUMENT', `${argument} holds a malformed locale tag`, {
    details: { argument },
  });
}

function normaliseTemplate(template: MessageTemplate): MessageTemplate {
  if (typeof template === 'string') return template.normalize('NFC');
  return Object.fromEntries(
    Object.entries(template).map(([category, text]) => [category, String(text).normalize('NFC')]),
  ) as MessageTemplate;
}
