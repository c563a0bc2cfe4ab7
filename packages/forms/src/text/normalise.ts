/**
 * Normalises citizen text: Unicode NFC (so "Nguyễn" typed with combining
 * marks equals the precomposed form), control characters removed, runs of
 * whitespace collapsed to one space, ends trimmed.
 *
 * @example
 * ```ts
 * normaliseText('  Nguye\u0302\u0303n   Văn A '); // 'Nguyễn Văn A'
 * ```
 */
export function normaliseText(value: string): string {
  return (
    value
      .normalize('NFC')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\uFEFF]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
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
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B\uFEFF]/g, '')
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
