// The text parsers both adapters install, so PGlite and node-postgres return
// the same JS values (see the table on SqlExecutor). Keyed by type OID.

/**
 * Parses a PostgreSQL array literal (`{1,2,NULL}`, `{"a b","c\"d"}`,
 * `{{1,2},{3,4}}`) into nested arrays, each element through `element`.
 * @internal
 */
export function parseArrayLiteral<Element>(
  literal: string,
  element: (text: string) => Element,
): unknown[] {
  let position = 0;
  // A literal may start with dimension decorations: [1:2]={...}
  if (literal.startsWith('[')) position = literal.indexOf('=') + 1;

  const parseLevel = (): unknown[] => {
    const values: unknown[] = [];
    position += 1; // '{'
    if (literal[position] === '}') {
      position += 1;
      return values;
    }
    for (;;) {
      const character = literal[position];
      if (character === '{') {
        values.push(parseLevel());
      } else if (character === '"') {
        position += 1;
        let text = '';
        while (literal[position] !== '"') {
          if (literal[position] === '\\') position += 1;
          text += literal[position];
          position += 1;
        }
        position += 1;
        values.push(element(text));
      } else {
        let end = position;
        while (literal[end] !== ',' && literal[end] !== '}') end += 1;
        const text = literal.slice(position, end);
        position = end;
        values.push(text === 'NULL' ? null : element(text.trim()));
      }
      const separator = literal[position];
      position += 1;
      if (separator === '}') return values;
    }
  };
  return parseLevel();
}

const asText = (text: string): string => text;
const asBigInt = (text: string): bigint => BigInt(text);

/**
 * Text parsers of the types where the drivers' defaults differ, by OID:
 * `int8` and `int8[]` as bigint, `numeric[]`, `date`, `date[]`, `interval`
 * and `interval[]` as PostgreSQL's text (`numeric` already is on both).
 * @internal
 */
export const sharedTextParsers: Readonly<Record<number, (text: string) => unknown>> = Object.freeze(
  {
    20: asBigInt,
    1016: (text: string) => parseArrayLiteral(text, asBigInt),
    1082: asText,
    1182: (text: string) => parseArrayLiteral(text, asText),
    1700: asText,
    1231: (text: string) => parseArrayLiteral(text, asText),
    1186: asText,
    1187: (text: string) => parseArrayLiteral(text, asText),
  },
);
