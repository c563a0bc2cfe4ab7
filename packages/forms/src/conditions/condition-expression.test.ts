import { describe, expect, it } from 'vitest';
import { FormsError } from '../errors/forms-error.js';
import { conditionAnswerIds, evaluateCondition, parseCondition } from './condition-expression.js';

const check = (source: string, answers: Record<string, unknown>) =>
  evaluateCondition(parseCondition(source), answers);

describe('condition expressions (safe, no eval)', () => {
  it('compares answers with literals, lists and each other', () => {
    const answers = {
      age: 20,
      nationality: 'VN',
      hasChildren: true,
      children: [{}, {}],
      dob: '2001-02-03',
      address: { province: 'Huế' },
    };
    expect(check('age >= 18', answers)).toBe(true);
    expect(check('age < 18', answers)).toBe(false);
    expect(check('nationality == "VN" and hasChildren', answers)).toBe(true);
    expect(check("nationality in ['GB', 'VN']", answers)).toBe(true);
    expect(check('not (nationality != "VN") && !false', answers)).toBe(true);
    expect(check('count(children) == 2 or false', answers)).toBe(true);
    expect(check('dob < "2008-01-01"', answers)).toBe(true);
    expect(check('address.province == "Huế"', answers)).toBe(true);
    expect(check('answered(email)', answers)).toBe(false);
    expect(check('lower(nationality) == "vn"', answers)).toBe(true);
    expect(check('["a", "b"] contains "b"', answers)).toBe(true);
    expect(check('missing == null', answers)).toBe(true);
    expect(check('age > "10"', answers)).toBe(false);
    expect(check('-1 < 0', answers)).toBe(true);
  });

  it('cannot reach anything but answers', () => {
    const answers = { a: 1 };
    expect(check('constructor == null', answers)).toBe(true);
    expect(check('a.constructor == null', answers)).toBe(true);
    expect(check('__proto__ == null', answers)).toBe(true);
  });

  it('rejects what it does not understand with the position', () => {
    for (const bad of [
      '',
      'a ==',
      'a === b',
      'alert(1)',
      'a; b',
      '(a',
      '"open',
      'a.',
      'a and or b',
      '`x`',
      'a b',
    ]) {
      expect(() => parseCondition(bad), bad).toThrow(FormsError);
    }
    try {
      parseCondition('age >= 18 and ) ');
    } catch (error) {
      expect(FormsError.isInstance(error) && error.code).toBe('FORMS_INVALID_CONDITION');
      expect((error as FormsError).details?.position).toBe(14);
    }
    expect(() => parseCondition(`${'('.repeat(60)}a${')'.repeat(60)}`)).toThrow(
      /nested too deeply/,
    );
  });

  it('lists the answers a condition reads', () => {
    expect(
      conditionAnswerIds(parseCondition('a == 1 or count(b.c) > 2 and d in [e]')).sort(),
    ).toEqual(['a', 'b', 'd', 'e']);
  });
});
