import type { ConsentNotice } from '../model/notice.js';

// The notice behind exampleNotice.
const notice: ConsentNotice = {
  id: 'benefit-updates',
  version: 1,
  controller: {
    id: 'molisa',
    name: {
      vi: 'Bộ Lao động – Thương binh và Xã hội',
      en: 'Ministry of Labour, Invalids and Social Affairs',
    },
    email: 'privacy@molisa.example.gov.vn',
    phone: '+84 24 3826 9534',
    address: '12 Ngô Quyền, Hoàn Kiếm, Hà Nội',
    url: 'https://molisa.example.gov.vn',
  },
  title: {
    vi: 'Nhận tin nhắn và chia sẻ thông tin thu nhập',
    en: 'Text updates and sharing your income details',
  },
  language: 'vi',
  policyUrl: 'https://molisa.example.gov.vn/quyen-rieng-tu',
  jurisdiction: 'VN',
  storageLocation: 'VN',
  retention: {
    period: 'P2Y',
    description: { vi: '2 năm sau khi hồ sơ đóng', en: '2 years after your case closes' },
  },
  validity: 'P1Y',
  withdrawal: {
    vi: 'Bạn có thể rút lại sự đồng ý bất cứ lúc nào tại trang Quyền riêng tư, hoặc gọi 1900 1234. Việc rút lại không ảnh hưởng đến trợ cấp của bạn.',
    en: 'You can withdraw your consent at any time on the Privacy page, or by calling 1900 1234. Withdrawing does not affect your benefit.',
  },
  withdrawalUrl: 'https://molisa.example.gov.vn/quyen-rieng-tu/rut-lai',
  existingConsents: 'carry-over',
  dataCategories: [
    {
      id: 'phone',
      dpv: 'pd:TelephoneNumber',
      sensitive: false,
      title: { vi: 'Số điện thoại', en: 'Phone number' },
    },
    { id: 'income', dpv: 'pd:Income', sensitive: false, title: { vi: 'Thu nhập', en: 'Income' } },
    {
      id: 'health',
      dpv: 'pd:HealthRecord',
      sensitive: true,
      title: { vi: 'Tình trạng sức khoẻ', en: 'Health condition' },
    },
  ],
  recipients: [
    {
      id: 'tax-office',
      name: { vi: 'Cục Thuế', en: 'General Department of Taxation' },
      thirdParty: true,
    },
    {
      id: 'sms-provider',
      name: { vi: 'Nhà cung cấp tin nhắn', en: 'Text message provider' },
      thirdParty: false,
    },
  ],
  purposes: [
    {
      id: 'sms-updates',
      dpv: ['dpv:CommunicationForCustomerCare'],
      lawfulBasis: 'consent',
      title: { vi: 'Tin nhắn cập nhật hồ sơ', en: 'Text message updates' },
      description: {
        vi: 'Chúng tôi nhắn tin cho bạn khi hồ sơ trợ cấp của bạn thay đổi.',
        en: 'We text you when your benefit case changes.',
      },
      dataCategories: ['phone'],
      recipients: ['sms-provider'],
    },
    {
      id: 'income-sharing',
      dpv: ['dpv:ServiceProvision', 'dpv:VerifyIdentity'],
      lawfulBasis: 'consent',
      title: { vi: 'Chia sẻ thu nhập với Cục Thuế', en: 'Sharing your income with the tax office' },
      description: {
        vi: 'Chúng tôi hỏi Cục Thuế về thu nhập của bạn để bạn không phải nộp giấy tờ.',
        en: 'We ask the tax office about your income so you do not have to send documents.',
      },
      dataCategories: ['income', 'health'],
      recipients: ['tax-office'],
      primary: true,
    },
  ],
};

/**
 * A complete example notice (version 1): a social-benefit agency asking to
 * text updates and to share income data with the tax office. For tests,
 * examples and documentation.
 *
 * @example
 * ```ts
 * import { exampleNotice } from '@civicblocks/consent/testing';
 *
 * await consent.publishNotice(exampleNotice);
 * ```
 */
export const exampleNotice: ConsentNotice = Object.freeze(notice);
