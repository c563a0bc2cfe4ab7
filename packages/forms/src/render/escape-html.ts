import { escapeHtml } from '@civicblocks/core';

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
