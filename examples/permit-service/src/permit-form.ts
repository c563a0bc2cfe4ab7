import { type AnswersOf, defineForm } from '@civicblocks/forms';

/**
 * The street-vending permit application, as data: one question per page,
 * a yes/no question that opens a food-safety page, then a declaration. The
 * applicant's name is not asked: it comes from the verified identity.
 *
 * @example
 * ```ts
 * const form = compileForm(permitFormDefinition, { timeZone: 'Asia/Ho_Chi_Minh' });
 * ```
 */
export const permitFormDefinition = defineForm({
  id: 'street-vending-permit',
  version: '1',
  title: { vi: 'Xin giấy phép bán hàng rong', en: 'Apply for a street-vending permit' },
})
  .question('phone', {
    type: 'phone',
    id: 'phone',
    label: { vi: 'Số điện thoại di động của bạn', en: 'Your mobile phone number' },
    name: { vi: 'số điện thoại di động', en: 'your mobile phone number' },
    hint: {
      vi: 'Chúng tôi chỉ gọi khi cần hỏi thêm về hồ sơ, ví dụ 0912 345 678',
      en: 'We only call if we need to ask about your application, for example 0912 345 678',
    },
    defaultCountry: 'VN',
    mobileOnly: true,
  })
  .question('home-address', {
    type: 'address',
    id: 'homeAddress',
    label: { vi: 'Địa chỉ thường trú của bạn', en: 'Your home address' },
    format: 'vn',
  })
  .question('goods', {
    type: 'textarea',
    id: 'goods',
    label: { vi: 'Bạn sẽ bán mặt hàng gì?', en: 'What will you sell?' },
    name: { vi: 'mặt hàng bạn sẽ bán', en: 'what you will sell' },
    hint: {
      vi: 'Ví dụ: hoa quả, báo, đồ lưu niệm',
      en: 'For example: fruit, newspapers, souvenirs',
    },
    maxLength: 500,
    rows: 3,
  })
  .question('sells-food', {
    type: 'yesNo',
    id: 'sellsFood',
    label: {
      vi: 'Bạn có bán đồ ăn hoặc đồ uống không?',
      en: 'Will you sell food or drink?',
    },
    name: {
      vi: 'có nếu bạn bán đồ ăn hoặc đồ uống',
      en: 'yes if you will sell food or drink',
    },
  })
  .question(
    'food-safety',
    {
      type: 'text',
      id: 'foodSafetyCertificate',
      label: {
        vi: 'Số giấy xác nhận kiến thức an toàn thực phẩm của bạn',
        en: 'Your food safety knowledge certificate number',
      },
      name: { vi: 'số giấy xác nhận', en: 'the certificate number' },
      hint: {
        vi: 'Ghi trên giấy xác nhận do Ủy ban nhân dân phường cấp',
        en: 'It is on the certificate your ward People’s Committee gave you',
      },
      minLength: 3,
      maxLength: 40,
      width: 20,
    },
    { condition: 'sellsFood == true' },
  )
  .question('declaration', {
    type: 'declaration',
    id: 'declaration',
    label: {
      vi: 'Tôi xác nhận thông tin trên là đúng',
      en: 'I confirm the information is correct',
    },
    text: {
      vi: 'Tôi sẽ bán hàng đúng nơi, đúng giờ được phép và giữ vệ sinh lòng đường, vỉa hè.',
      en: 'I will sell only where and when the permit allows and keep the street and pavement clean.',
    },
  })
  .build();

/**
 * The answers of a complete application.
 *
 * @example
 * ```ts
 * const answers: PermitAnswers = { phone: '+84912345678', sellsFood: false };
 * ```
 */
export type PermitAnswers = AnswersOf<typeof permitFormDefinition>;
