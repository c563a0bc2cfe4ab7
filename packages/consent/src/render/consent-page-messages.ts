import { createMessageCatalogue, type MessageCatalogue } from '@civicblocks/core';

const messages = {
  vi: {
    heading: '{controller} xin sự đồng ý của bạn',
    intro:
      'Hãy đọc từng mục đích dưới đây và chọn đồng ý hoặc không đồng ý. Bạn không phải đồng ý để được sử dụng dịch vụ, trừ khi có ghi rõ.',
    withdrawHeading: 'Bạn có thể rút lại bất cứ lúc nào',
    withdrawLink: 'Rút lại sự đồng ý trực tuyến',
    dataUsed: 'Thông tin được sử dụng',
    sensitive: 'dữ liệu nhạy cảm',
    sharedWith: 'Chia sẻ với',
    sharedWithNobody: 'Không chia sẻ với tổ chức khác',
    agree: 'Có, tôi đồng ý',
    disagree: 'Không, tôi không đồng ý',
    chooseOne: 'Chọn đồng ý hoặc không đồng ý cho mục “{purpose}”',
    errorTitle: 'Có lỗi cần sửa',
    details: 'Chi tiết về việc xử lý dữ liệu',
    controller: 'Bên kiểm soát dữ liệu',
    lawfulBasis: 'Cơ sở pháp lý',
    retention: 'Thời gian lưu trữ',
    storage: 'Nơi lưu trữ',
    validity: 'Sự đồng ý có hiệu lực trong',
    policy: 'Đọc toàn bộ thông báo về quyền riêng tư',
    submit: 'Gửi lựa chọn của tôi',
    proxyNote: 'Nếu bạn là cha mẹ hoặc người giám hộ, bạn đang chọn thay cho người được giám hộ.',
    errorPrefix: 'Lỗi:',
  },
  en: {
    heading: '{controller} is asking for your consent',
    intro:
      'Read each purpose below and choose whether you agree. You do not have to agree to use the service unless it says so.',
    withdrawHeading: 'You can withdraw at any time',
    withdrawLink: 'Withdraw your consent online',
    dataUsed: 'Information used',
    sensitive: 'sensitive information',
    sharedWith: 'Shared with',
    sharedWithNobody: 'Not shared with other organisations',
    agree: 'Yes, I agree',
    disagree: 'No, I do not agree',
    chooseOne: 'Select whether you agree to “{purpose}”',
    errorTitle: 'There is a problem',
    details: 'Details of how your information is used',
    controller: 'Who is responsible',
    lawfulBasis: 'Lawful basis',
    retention: 'How long it is kept',
    storage: 'Where it is stored',
    validity: 'Your consent lasts',
    policy: 'Read the full privacy notice',
    submit: 'Send my choices',
    proxyNote: 'If you are a parent or guardian, you are choosing for the person you care for.',
    errorPrefix: 'Error:',
  },
} as const;

type Key = keyof (typeof messages)['en'];

/** The consent page's interface text, vi and en. @internal */
export function consentPageMessages(): MessageCatalogue<Key> {
  return createMessageCatalogue<Key>({ messages: messages as never });
}

/** Plain-language names of lawful bases. @internal */
export const lawfulBasisText = {
  vi: {
    consent: 'Sự đồng ý của bạn',
    contract: 'Thực hiện hợp đồng với bạn',
    'legal-obligation': 'Nghĩa vụ theo quy định của pháp luật',
    'vital-interest': 'Bảo vệ tính mạng, sức khoẻ',
    'public-task': 'Thực hiện nhiệm vụ công',
    'legitimate-interest': 'Lợi ích hợp pháp',
  },
  en: {
    consent: 'Your consent',
    contract: 'A contract with you',
    'legal-obligation': 'A legal obligation',
    'vital-interest': 'Protecting someone’s life',
    'public-task': 'A public task',
    'legitimate-interest': 'Legitimate interests',
  },
} as const;
