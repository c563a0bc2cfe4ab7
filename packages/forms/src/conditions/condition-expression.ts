import { FormsError } from '../errors/forms-error.js';

/**
 * A parsed condition, ready to evaluate. Plain data: it can be cached and
 * serialised, and evaluating it never runs code.
 *
 * @example
 * ```ts
 * const node: ConditionNode = { kind: 'literal', value: true };
 * ```
 */
export type ConditionNode =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'answer'; readonly path: readonly string[] }
  | { readonly kind: 'list'; readonly items: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | { readonly kind: 'and' | 'or'; readonly left: ConditionNode; readonly right: ConditionNode }
  | {
      readonly kind: 'compare';
      readonly operator: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'contains';
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    }
  | {
      readonly kind: 'call';
      readonly name: 'answered' | 'count' | 'lower';
      readonly argument: ConditionNode;
    };

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'symbol'; value: string; at: number };

const symbols = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.'];
const maximumLength = 2000;
const maximumDepth = 50;

function fail(source: string, message: string, at: number): never {
  throw new FormsError('FORMS_INVALID_CONDITION', `condition: ${message} at character ${at + 1}`, {
    details: { condition: source.slice(0, 200), position: at },
  });
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const character = source.charAt(index);
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    if (/[0-9]/.test(character) || (character === '-' && /[0-9]/.test(source.charAt(index + 1)))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(index));
      const text = match?.[0] ?? '';
      tokens.push({ kind: 'number', value: Number(text), at: index });
      index += text.length;
      continue;
    }
    if (character === '"' || character === "'") {
      let value = '';
      let cursor = index + 1;
      for (;;) {
        if (cursor >= source.length) fail(source, 'unterminated string', index);
        const next = source.charAt(cursor);
        if (next === '\\') {
          value += source.charAt(cursor + 1);
          cursor += 2;
          continue;
        }
        if (next === character) break;
        value += next;
        cursor += 1;
      }
      tokens.push({ kind: 'string', value, at: index });
      index = cursor + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(character)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(index));
      const text = match?.[0] ?? character;
      tokens.push({ kind: 'word', value: text, at: index });
      index += text.length;
      continue;
    }
    const symbol = symbols.find((candidate) => source.startsWith(candidate, index));
    if (symbol === undefined) fail(source, `unexpected "${character}"`, index);
    tokens.push({ kind: 'symbol', value: symbol, at: index });
    index += symbol.length;
  }
  return tokens;
}

/**
 * Parses a condition in the small, safe expression language used by form
 * definitions. It has answers (`dateOfBirth`, `address.province`), strings,
 * numbers, `true`/`false`/`null`, lists (`["a", "b"]`), comparison
 * (`== != < <= > >=`), `in`, `contains`, `and`/`&&`, `or`/`||`,
 * `not`/`!`, parentheses and three functions: `answered(x)`, `count(x)` and
 * `lower(x)`. There is no `eval`, no property access beyond answers and no
 * loops, so a definition cannot run code.
 *
 * @throws {@link FormsError} `FORMS_INVALID_CONDITION` with the position.
 * @example
 * ```ts
 * const condition = parseCondition('hasChildren == true and count(children) < 5');
 * evaluateCondition(condition, { hasChildren: true, children: [] }); // true
 * ```
 */
export function parseCondition(source: string): ConditionNode {
  if (source.length > maximumLength) fail(source, 'too long', maximumLength);
  const tokens = tokenize(source);
  let position = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[position];
  const isSymbol = (value: string): boolean => {
    const token = peek();
    return token?.kind === 'symbol' && token.value === value;
  };
  const isWord = (value: string): boolean => {
    const token = peek();
    return token?.kind === 'word' && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isSymbol(value)) fail(source, `expected "${value}"`, peek()?.at ?? source.length);
    position += 1;
  };
  const enter = (): void => {
    depth += 1;
    if (depth > maximumDepth) fail(source, 'nested too deeply', peek()?.at ?? source.length);
  };

  const parseOr = (): ConditionNode => {
    let left = parseAnd();
    while (isWord('or') || isSymbol('||')) {
      position += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): ConditionNode => {
    let left = parseNot();
    while (isWord('and') || isSymbol('&&')) {
      position += 1;
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): ConditionNode => {
    if (isWord('not') || isSymbol('!')) {
      position += 1;
      enter();
      const operand = parseNot();
      depth -= 1;
      return { kind: 'not', operand };
    }
    return parseComparison();
  };
  const parseComparison = (): ConditionNode => {
    const left = parsePrimary();
    const token = peek();
    const operators = ['==', '!=', '<', '<=', '>', '>='];
    if (token?.kind === 'symbol' && operators.includes(token.value)) {
      position += 1;
      const operator = token.value as '==' | '!=' | '<' | '<=' | '>' | '>=';
      return { kind: 'compare', operator, left, right: parsePrimary() };
    }
    if (token?.kind === 'word' && (token.value === 'in' || token.value === 'contains')) {
      position += 1;
      return { kind: 'compare', operator: token.value, left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): ConditionNode => {
    const token = peek();
    if (token === undefined) fail(source, 'unexpected end', source.length);
    position += 1;
    if (token.kind === 'number' || token.kind === 'string')
      return { kind: 'literal', value: token.value };
    if (token.kind === 'symbol') {
      if (token.value === '(') {
        enter();
        const inner = parseOr();
        expect(')');
        depth -= 1;
        return inner;
      }
      if (token.value === '[') {
        enter();
        const items: ConditionNode[] = [];
        if (!isSymbol(']')) {
          items.push(parsePrimary());
          while (isSymbol(',')) {
            position += 1;
            items.push(parsePrimary());
          }
        }
        expect(']');
        depth -= 1;
        return { kind: 'list', items };
      }
      fail(source, `unexpected "${token.value}"`, token.at);
    }
    if (token.value === 'true') return { kind: 'literal', value: true };
    if (token.value === 'false') return { kind: 'literal', value: false };
    if (token.value === 'null') return { kind: 'literal', value: null };
    if (['and', 'or', 'not', 'in', 'contains'].includes(token.value)) {
      fail(source, `unexpected "${token.value}"`, token.at);
    }
    if (isSymbol('(')) {
      if (token.value !== 'answered' && token.value !== 'count' && token.value !== 'lower') {
        fail(source, `unknown function "${token.value}"`, token.at);
      }
      position += 1;
      enter();
      const argument = parseOr();
      expect(')');
      depth -= 1;
      return { kind: 'call', name: token.value, argument };
    }
    const path = [token.value];
    while (isSymbol('.')) {
      position += 1;
      const next = peek();
      if (next?.kind !== 'word')
        fail(source, 'expected a name after "."', next?.at ?? source.length);
      path.push(next.value);
      position += 1;
    }
    return { kind: 'answer', path };
  };

  if (tokens.length === 0) fail(source, 'empty condition', 0);
  const tree = parseOr();
  if (position < tokens.length) fail(source, 'unexpected text', tokens[position]?.at ?? 0);
  return tree;
}

type Value = unknown;

function lookup(answers: Readonly<Record<string, unknown>>, path: readonly string[]): Value {
  let current: unknown = answers;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function equal(left: Value, right: Value): boolean {
  if (left === right) return true;
  if (left === undefined && right === null) return true;
  if (left === null && right === undefined) return true;
  return false;
}

function truthy(value: Value): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 0;
}

function evaluate(node: ConditionNode, answers: Readonly<Record<string, unknown>>): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'answer':
      return lookup(answers, node.path);
    case 'list':
      return node.items.map((item) => evaluate(item, answers));
    case 'not':
      return !truthy(evaluate(node.operand, answers));
    case 'and':
      return truthy(evaluate(node.left, answers)) && truthy(evaluate(node.right, answers));
    case 'or':
      return truthy(evaluate(node.left, answers)) || truthy(evaluate(node.right, answers));
    case 'call': {
      const argument = evaluate(node.argument, answers);
      if (node.name === 'answered') {
        return (
          argument !== undefined &&
          argument !== null &&
          argument !== '' &&
          !(Array.isArray(argument) && argument.length === 0)
        );
      }
      if (node.name === 'count')
        return Array.isArray(argument)
          ? argument.length
          : argument === undefined || argument === null
            ? 0
            : 1;
      return typeof argument === 'string' ? argument.toLowerCase() : argument;
    }
    case 'compare': {
      const left = evaluate(node.left, answers);
      const right = evaluate(node.right, answers);
      switch (node.operator) {
        case '==':
          return equal(left, right);
        case '!=':
          return !equal(left, right);
        case 'in':
          return Array.isArray(right)
            ? right.some((item) => equal(item, left))
            : typeof right === 'string' && typeof left === 'string' && right.includes(left);
        case 'contains':
          return Array.isArray(left)
            ? left.some((item) => equal(item, right))
            : typeof left === 'string' && typeof right === 'string' && left.includes(right);
        default: {
          const bothNumbers = typeof left === 'number' && typeof right === 'number';
          const bothStrings = typeof left === 'string' && typeof right === 'string';
          if (!bothNumbers && !bothStrings) return false;
          const a = left as number | string;
          const b = right as number | string;
          if (node.operator === '<') return a < b;
          if (node.operator === '<=') return a <= b;
          if (node.operator === '>') return a > b;
          return a >= b;
        }
      }
    }
  }
}

/**
 * Evaluates a parsed condition against the answers. Never throws: a missing
 * answer is `null`, comparing values of different types is false.
 * Dates are ISO strings, so `dateOfBirth < "2008-01-01"` compares them.
 *
 * @example
 * ```ts
 * evaluateCondition(parseCondition('nationality in ["VN", "GB"]'), { nationality: 'VN' }); // true
 * ```
 */
export function evaluateCondition(
  node: ConditionNode,
  answers: Readonly<Record<string, unknown>>,
): boolean {
  return truthy(evaluate(node, answers));
}

/**
 * The answer ids a condition reads (the first segment of each path).
 *
 * @example
 * ```ts
 * conditionAnswerIds(parseCondition('a == 1 or b.c')); // ['a', 'b']
 * ```
 */
export function conditionAnswerIds(node: ConditionNode): string[] {
  const found = new Set<string>();
  const visit = (current: ConditionNode): void => {
    switch (current.kind) {
      case 'answer':
        if (current.path[0] !== undefined) found.add(current.path[0]);
        return;
      case 'list':
        current.items.forEach(visit);
        return;
      case 'not':
        visit(current.operand);
        return;
      case 'call':
        visit(current.argument);
        return;
      case 'literal':
        return;
      default:
        visit(current.left);
        visit(current.right);
    }
  };
  visit(node);
  return [...found];
}
