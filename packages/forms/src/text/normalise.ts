/**
 * Characters removed from citizen text: C0 controls other than tab and line
 * breaks, DEL, zero-width space and BOM, and the bidirectional formatting
 * controls (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069,
 * the marks U+200E, U+200F and U+061C), which can make text display in an
 * order different from the one it is stored in.
 */
const invisibleCharacters =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** A UTF-16 surrogate without its pair (never valid text). */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Normalises citizen text: lone surrogates replaced by U+FFFD, Unicode NFC
 * (so "Nguyễn" typed with combining marks equals the precomposed form),
 * control, zero-width and bidirectional formatting characters removed, runs
 * of whitespace collapsed to one space, ends trimmed.
 *
 * @example
 * ```ts
 * normaliseText('  Nguye\u0302\u0303n   Văn A '); // 'Nguyễn Văn A'
 * normaliseText('abc\u202Edef'); // 'abcdef'
 * ```
 */
export function normaliseText(value: string): string {
  return value
    .replace(loneSurrogate, '\uFFFD')
    .normalize('NFC')
    .replace(invisibleCharacters, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Like {@link normaliseText} but keeps line breaks (for a textarea): each
 * line is normalised, CRLF becomes LF, and blank lines at the ends go.
 *
 * @example
 * ```ts
 * normaliseMultilineText('a \r\n  b'); // 'a\nb'
 * ```
 */
export function normaliseMultilineText(value: string): string {
  return value
    .replace(loneSurrogate, '\uFFFD')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(invisibleCharacters, '')
        .replace(/[^\S\n]+/g, ' ')
        .trim(),
    )
    .join('\n')
    .trim();
}

/**
 * A key for forgiving comparisons: NFC, lower case, Vietnamese diacritics
 * and `đ` folded, punctuation turned to spaces. "Thành phố Hồ Chí Minh"
 * and "thanh pho ho chi minh" have the same key.
 *
 * @example
 * ```ts
 * foldForComparison('Đắk Lắk'); // 'dak lak'
 * ```
 */
export function foldForComparison(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
