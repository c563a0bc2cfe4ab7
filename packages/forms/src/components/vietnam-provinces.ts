// Sources. Since 1 July 2025: the 34 units and which old provinces each
// joined are those of Resolution 202/2025/QH15 (12 June 2025) on the
// reorganisation of province-level administrative units; their 2-digit
// codes are those of the administrative-unit code list of Decision
// 19/2025/QĐ-TTg, as published by the General Statistics Office in Official
// Letter 1027/CTK-CSCL (25 June 2025). Each new unit keeps the code of the
// old province that hosts its seat (Lào Cai 15, from Yên Bái; Gia Lai 52,
// from Bình Định). Before: the 63 units, whose codes (0 + the old 2-digit
// statistical code) still begin every 12-digit citizen ID, because digits
// 1–3 record where the birth was registered (Circular 59/2021/TT-BCA, which
// replaced Circular 07/2016/TT-BCA); IDs issued before or after the merger
// keep them, so they are checked against the legacy list, never the new one.

/**
 * A province-level unit of Vietnam before 1 July 2025 (63 units). `code` is
 * the 3-digit code that starts a 12-digit citizen ID number (Circular
 * 59/2021/TT-BCA); `mergedInto` is the name of the province it belongs to
 * since 1 July 2025 (Resolution 202/2025/QH15).
 *
 * @example
 * ```ts
 * const unit: LegacyProvince = { code: '002', name: 'Hà Giang', mergedInto: 'Tuyên Quang' };
 * ```
 */
export interface LegacyProvince {
  readonly code: string;
  readonly name: string;
  readonly mergedInto: string;
}

/**
 * A province-level unit of Vietnam since 1 July 2025 (34 units: 28
 * provinces and 6 centrally run cities). `code` is the 2-digit
 * administrative-unit code (Decision 19/2025/QĐ-TTg).
 *
 * @example
 * ```ts
 * const unit: CurrentProvince = { code: '01', name: 'Hà Nội', aliases: ['Thủ đô Hà Nội'] };
 * ```
 */
export interface CurrentProvince {
  readonly code: string;
  readonly name: string;
  readonly aliases: readonly string[];
}

/**
 * The 63 province-level units before 1 July 2025, with their citizen ID
 * codes.
 *
 * @example
 * ```ts
 * legacyProvinces.length; // 63
 * ```
 */
export const legacyProvinces: readonly LegacyProvince[] = [
  { code: '001', name: 'Hà Nội', mergedInto: 'Hà Nội' },
  { code: '002', name: 'Hà Giang', mergedInto: 'Tuyên Quang' },
  { code: '004', name: 'Cao Bằng', mergedInto: 'Cao Bằng' },
  { code: '006', name: 'Bắc Kạn', mergedInto: 'Thái Nguyên' },
  { code: '008', name: 'Tuyên Quang', mergedInto: 'Tuyên Quang' },
  { code: '010', name: 'Lào Cai', mergedInto: 'Lào Cai' },
  { code: '011', name: 'Điện Biên', mergedInto: 'Điện Biên' },
  { code: '012', name: 'Lai Châu', mergedInto: 'Lai Châu' },
  { code: '014', name: 'Sơn La', mergedInto: 'Sơn La' },
  { code: '015', name: 'Yên Bái', mergedInto: 'Lào Cai' },
  { code: '017', name: 'Hòa Bình', mergedInto: 'Phú Thọ' },
  { code: '019', name: 'Thái Nguyên', mergedInto: 'Thái Nguyên' },
  { code: '020', name: 'Lạng Sơn', mergedInto: 'Lạng Sơn' },
  { code: '022', name: 'Quảng Ninh', mergedInto: 'Quảng Ninh' },
  { code: '024', name: 'Bắc Giang', mergedInto: 'Bắc Ninh' },
  { code: '025', name: 'Phú Thọ', mergedInto: 'Phú Thọ' },
  { code: '026', name: 'Vĩnh Phúc', mergedInto: 'Phú Thọ' },
  { code: '027', name: 'Bắc Ninh', mergedInto: 'Bắc Ninh' },
  { code: '030', name: 'Hải Dương', mergedInto: 'Hải Phòng' },
  { code: '031', name: 'Hải Phòng', mergedInto: 'Hải Phòng' },
  { code: '033', name: 'Hưng Yên', mergedInto: 'Hưng Yên' },
  { code: '034', name: 'Thái Bình', mergedInto: 'Hưng Yên' },
  { code: '035', name: 'Hà Nam', mergedInto: 'Ninh Bình' },
  { code: '036', name: 'Nam Định', mergedInto: 'Ninh Bình' },
  { code: '037', name: 'Ninh Bình', mergedInto: 'Ninh Bình' },
  { code: '038', name: 'Thanh Hóa', mergedInto: 'Thanh Hóa' },
  { code: '040', name: 'Nghệ An', mergedInto: 'Nghệ An' },
  { code: '042', name: 'Hà Tĩnh', mergedInto: 'Hà Tĩnh' },
  { code: '044', name: 'Quảng Bình', mergedInto: 'Quảng Trị' },
  { code: '045', name: 'Quảng Trị', mergedInto: 'Quảng Trị' },
  { code: '046', name: 'Thừa Thiên Huế', mergedInto: 'Huế' },
  { code: '048', name: 'Đà Nẵng', mergedInto: 'Đà Nẵng' },
  { code: '049', name: 'Quảng Nam', mergedInto: 'Đà Nẵng' },
  { code: '051', name: 'Quảng Ngãi', mergedInto: 'Quảng Ngãi' },
  { code: '052', name: 'Bình Định', mergedInto: 'Gia Lai' },
  { code: '054', name: 'Phú Yên', mergedInto: 'Đắk Lắk' },
  { code: '056', name: 'Khánh Hòa', mergedInto: 'Khánh Hòa' },
  { code: '058', name: 'Ninh Thuận', mergedInto: 'Khánh Hòa' },
  { code: '060', name: 'Bình Thuận', mergedInto: 'Lâm Đồng' },
  { code: '062', name: 'Kon Tum', mergedInto: 'Quảng Ngãi' },
  { code: '064', name: 'Gia Lai', mergedInto: 'Gia Lai' },
  { code: '066', name: 'Đắk Lắk', mergedInto: 'Đắk Lắk' },
  { code: '067', name: 'Đắk Nông', mergedInto: 'Lâm Đồng' },
  { code: '068', name: 'Lâm Đồng', mergedInto: 'Lâm Đồng' },
  { code: '070', name: 'Bình Phước', mergedInto: 'Đồng Nai' },
  { code: '072', name: 'Tây Ninh', mergedInto: 'Tây Ninh' },
  { code: '074', name: 'Bình Dương', mergedInto: 'Hồ Chí Minh' },
  { code: '075', name: 'Đồng Nai', mergedInto: 'Đồng Nai' },
  { code: '077', name: 'Bà Rịa - Vũng Tàu', mergedInto: 'Hồ Chí Minh' },
  { code: '079', name: 'Hồ Chí Minh', mergedInto: 'Hồ Chí Minh' },
  { code: '080', name: 'Long An', mergedInto: 'Tây Ninh' },
  { code: '082', name: 'Tiền Giang', mergedInto: 'Đồng Tháp' },
  { code: '083', name: 'Bến Tre', mergedInto: 'Vĩnh Long' },
  { code: '084', name: 'Trà Vinh', mergedInto: 'Vĩnh Long' },
  { code: '086', name: 'Vĩnh Long', mergedInto: 'Vĩnh Long' },
  { code: '087', name: 'Đồng Tháp', mergedInto: 'Đồng Tháp' },
  { code: '089', name: 'An Giang', mergedInto: 'An Giang' },
  { code: '091', name: 'Kiên Giang', mergedInto: 'An Giang' },
  { code: '092', name: 'Cần Thơ', mergedInto: 'Cần Thơ' },
  { code: '093', name: 'Hậu Giang', mergedInto: 'Cần Thơ' },
  { code: '094', name: 'Sóc Trăng', mergedInto: 'Cần Thơ' },
  { code: '095', name: 'Bạc Liêu', mergedInto: 'Cà Mau' },
  { code: '096', name: 'Cà Mau', mergedInto: 'Cà Mau' },
];

/**
 * The 34 province-level units since 1 July 2025.
 *
 * @example
 * ```ts
 * currentProvinces.map((province) => province.name).includes('Huế'); // true
 * ```
 */
export const currentProvinces: readonly CurrentProvince[] = [
  { code: '01', name: 'Hà Nội', aliases: [] },
  { code: '04', name: 'Cao Bằng', aliases: [] },
  { code: '08', name: 'Tuyên Quang', aliases: [] },
  { code: '11', name: 'Điện Biên', aliases: [] },
  { code: '12', name: 'Lai Châu', aliases: [] },
  { code: '14', name: 'Sơn La', aliases: [] },
  { code: '15', name: 'Lào Cai', aliases: [] },
  { code: '19', name: 'Thái Nguyên', aliases: [] },
  { code: '20', name: 'Lạng Sơn', aliases: [] },
  { code: '22', name: 'Quảng Ninh', aliases: [] },
  { code: '24', name: 'Bắc Ninh', aliases: [] },
  { code: '25', name: 'Phú Thọ', aliases: [] },
  { code: '31', name: 'Hải Phòng', aliases: [] },
  { code: '33', name: 'Hưng Yên', aliases: [] },
  { code: '37', name: 'Ninh Bình', aliases: [] },
  { code: '38', name: 'Thanh Hóa', aliases: ['Thanh Hoá'] },
  { code: '40', name: 'Nghệ An', aliases: [] },
  { code: '42', name: 'Hà Tĩnh', aliases: [] },
  { code: '44', name: 'Quảng Trị', aliases: [] },
  { code: '46', name: 'Huế', aliases: [] },
  { code: '48', name: 'Đà Nẵng', aliases: [] },
  { code: '51', name: 'Quảng Ngãi', aliases: [] },
  { code: '52', name: 'Gia Lai', aliases: [] },
  { code: '56', name: 'Khánh Hòa', aliases: ['Khánh Hoà'] },
  { code: '66', name: 'Đắk Lắk', aliases: ['Đăk Lăk'] },
  { code: '68', name: 'Lâm Đồng', aliases: [] },
  { code: '75', name: 'Đồng Nai', aliases: [] },
  { code: '79', name: 'Hồ Chí Minh', aliases: ['TP HCM', 'TPHCM', 'HCM', 'Sài Gòn', 'Saigon'] },
  { code: '80', name: 'Tây Ninh', aliases: [] },
  { code: '82', name: 'Đồng Tháp', aliases: [] },
  { code: '86', name: 'Vĩnh Long', aliases: [] },
  { code: '91', name: 'An Giang', aliases: [] },
  { code: '92', name: 'Cần Thơ', aliases: [] },
  { code: '96', name: 'Cà Mau', aliases: [] },
];
