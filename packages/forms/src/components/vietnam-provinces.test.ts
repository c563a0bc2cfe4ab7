import { describe, expect, it } from 'vitest';
import { matchVietnamProvince } from './address.js';
import { readVietnamCitizenId } from './national-id.js';
import { currentProvinces, legacyProvinces } from './vietnam-provinces.js';

describe('Vietnamese province lists', () => {
  it('has the 63 units before 1 July 2025 and the 34 after, with unique codes and names', () => {
    expect(legacyProvinces).toHaveLength(63);
    expect(currentProvinces).toHaveLength(34);
    for (const list of [legacyProvinces, currentProvinces]) {
      expect(new Set(list.map((province) => province.code)).size).toBe(list.length);
      expect(new Set(list.map((province) => province.name)).size).toBe(list.length);
    }
    expect(legacyProvinces.every((province) => /^0[0-9]{2}$/.test(province.code))).toBe(true);
    expect(currentProvinces.every((province) => /^[0-9]{2}$/.test(province.code))).toBe(true);
  });

  it('merges every old unit into one of the 34, and each of the 34 keeps the code of one of its members', () => {
    const currentNames = new Set(currentProvinces.map((province) => province.name));
    for (const legacy of legacyProvinces) expect(currentNames).toContain(legacy.mergedInto);
    for (const current of currentProvinces) {
      const seat = legacyProvinces.find((legacy) => legacy.code === `0${current.code}`);
      expect(seat?.mergedInto, current.name).toBe(current.name);
    }
    const members = (name: string) =>
      legacyProvinces
        .filter((legacy) => legacy.mergedInto === name)
        .map((legacy) => legacy.name)
        .sort();
    expect(members('Hồ Chí Minh')).toEqual(['Bà Rịa - Vũng Tàu', 'Bình Dương', 'Hồ Chí Minh']);
    expect(members('Ninh Bình')).toEqual(['Hà Nam', 'Nam Định', 'Ninh Bình']);
    expect(members('Lâm Đồng')).toEqual(['Bình Thuận', 'Lâm Đồng', 'Đắk Nông']);
    expect(members('Huế')).toEqual(['Thừa Thiên Huế']);
    // The 11 units the resolution left as they were.
    const unchanged = currentProvinces.filter((current) => members(current.name).length === 1);
    expect(unchanged.map((province) => province.code).sort()).toEqual([
      '01',
      '04',
      '11',
      '12',
      '14',
      '20',
      '22',
      '38',
      '40',
      '42',
      '46',
    ]);
  });

  it('reads a citizen ID against the legacy codes, before and after the merger', () => {
    // Born in Yên Bái (015), which is now part of Lào Cai (also code 15).
    expect(readVietnamCitizenId('015090123456', 2026)).toMatchObject({
      valid: true,
      provinceCode: '015',
    });
    // Born in Lào Cai before the merger (010): still a valid ID.
    expect(readVietnamCitizenId('010090123456', 2026)).toMatchObject({ valid: true });
    expect(readVietnamCitizenId('003090123456', 2026)).toEqual({
      valid: false,
      reason: 'province',
    });
  });

  it('matches names with or without diacritics and prefixes', () => {
    expect(matchVietnamProvince('Thành phố Hồ Chí Minh').current?.code).toBe('79');
    expect(matchVietnamProvince('tinh lao cai').current?.code).toBe('15');
    expect(matchVietnamProvince('Yên Bái')).toMatchObject({
      current: undefined,
      legacy: { code: '015', mergedInto: 'Lào Cai' },
    });
  });
});
