import { describe, expect, it } from 'vitest';
import { makeFieldError } from '../components/field-error.js';
import { fieldMessage, formMessages, interfaceMessage } from './form-messages.js';

describe('field messages through the core message catalogue', () => {
  it('fills every message in vi and en, with {Name} capitalised', () => {
    expect(fieldMessage('vi', 'tooLong', { name: 'họ tên', Name: 'Họ tên', max: 100 })).toBe(
      'Họ tên không được quá 100 ký tự',
    );
    for (const code of Object.keys(formMessages) as (keyof typeof formMessages)[]) {
      const values = {
        name: 'x',
        Name: 'X',
        min: 1,
        max: 2000,
        date: 'd',
        province: 'p',
        newProvince: 'n',
        types: 't',
        size: 's',
      };
      expect(fieldMessage('vi', code, values)).not.toMatch(/\{|\}/);
      expect(fieldMessage('en', code, values)).not.toMatch(/\{|\}/);
      // Limits stay as written: a limit may be a year.
      expect(fieldMessage('vi', code, values)).not.toContain('2.000');
    }
  });

  it('gives NFC text whatever form the definition was typed in', () => {
    const decomposed = 'Ngày sinh của bạn'.normalize('NFD');
    const error = makeFieldError(
      { type: 'text', id: 'x', label: { vi: decomposed, en: 'Date of birth' } },
      'required',
    );
    expect(error.message.vi).toBe('Nhập ngày sinh của bạn');
    expect(error.message.vi).toBe(error.message.vi.normalize('NFC'));
  });

  it('fails loudly, naming the placeholder but no value, when one is missing', () => {
    expect(() =>
      fieldMessage('en', 'tooLong', { name: 'Nguyễn Văn An', Name: 'Nguyễn Văn An' }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.not.stringContaining('Nguyễn'),
      }),
    );
  });

  it('fills page furniture templates, capitalising {Name} and normalising to NFC', () => {
    expect(interfaceMessage('vi', 'itemHeading', { name: 'con'.normalize('NFD'), number: 2 })).toBe(
      'Con 2',
    );
    const heading = interfaceMessage('vi', 'addAnotherQuestion', {
      name: 'người phụ thuộc'.normalize('NFD'),
    });
    expect(heading).toBe('Bạn có cần thêm người phụ thuộc khác không?');
    expect(interfaceMessage('en', 'youHaveAdded', { count: 3, name: 'children' })).toBe(
      'You have added 3 children',
    );
  });
});
