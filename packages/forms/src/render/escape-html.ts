const replacements: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for HTML content and quoted attribute values. Every piece of
 * citizen input and definition text goes through it before it reaches a
 * page.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert(1)</script>'); // '&lt;script&gt;alert(1)&lt;/script&gt;'
 * ```
 */
export function escapeHtml(value: string): string {
  return /[&<>"'`]/.test(value)
    ? value.replace(/[&<>"'`]/g, (character) => replacements[character] ?? character)
    : value;
}

/**
 * Escapes multi-line text and turns line breaks into `<br>`.
 *
 * @example
 * ```ts
 * escapeLines('a\n<b>'); // 'a<br>&lt;b&gt;'
 * ```
 */
export function escapeLines(value: string): string {
  return value.split('\n').map(escapeHtml).join('<br>');
}
