import type { LocalizedText } from '@civicblocks/core';

/**
 * A file size as a citizen reads it (`5 MB`, `300 kB`).
 *
 * @example
 * ```ts
 * describeSize(5_000_000); // '5 MB'
 * ```
 */
export function describeSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${bytes} B`;
}

const fileTypeNames: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPG',
  'image/svg+xml': 'SVG',
  'text/plain': 'TXT',
  'application/msword': 'DOC',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.ms-excel': 'XLS',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
};

/**
 * Accepted MIME types named GOV.UK style: 'PDF, JPG or PNG' / 'PDF, JPG hoặc PNG'.
 *
 * @example
 * ```ts
 * describeTypes(['application/pdf', 'image/jpeg']).en; // 'PDF or JPG'
 * ```
 */
export function describeTypes(accept: readonly string[]): LocalizedText {
  const names = accept.map(
    (type) => fileTypeNames[type] ?? (type.split('/')[1] ?? type).toUpperCase(),
  );
  const last = names.at(-1) ?? '';
  const head = names.slice(0, -1).join(', ');
  return head === ''
    ? { vi: last, en: last }
    : { vi: `${head} hoặc ${last}`, en: `${head} or ${last}` };
}
