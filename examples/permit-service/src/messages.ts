import { createMessageCatalogue, type MessageCatalogue } from '@civicblocks/core';

const vi = {
  serviceName: 'Xin giấy phép bán hàng rong',
  startIntro:
    'Dùng dịch vụ này để xin giấy phép bán hàng rong trên vỉa hè và lòng đường tại phường của bạn.',
  startNeeds: 'Bạn cần:',
  needsAccount: 'tài khoản định danh điện tử đã xác thực danh tính',
  needsPhone: 'số điện thoại di động',
  needsFoodCertificate: 'giấy xác nhận kiến thức an toàn thực phẩm, nếu bạn bán đồ ăn hoặc đồ uống',
  startTime: 'Mất khoảng 5 phút.',
  signInToStart: 'Đăng nhập để bắt đầu',
  startNow: 'Bắt đầu',
  yourDetails: 'Thông tin đã xác thực của bạn',
  fullName: 'Họ và tên',
  detailsFromIdentity:
    'Thông tin này lấy từ tài khoản định danh của bạn và không thể thay đổi tại đây.',
  signOut: 'Đăng xuất',
  chooseTestPerson: 'Chọn người dùng thử',
  devProviderExplained:
    'Đây là nhà cung cấp định danh dùng khi phát triển: nó đăng nhập bất kỳ ai thành người dùng thử bạn chọn. Dịch vụ thật sẽ chuyển bạn đến Cổng định danh quốc gia.',
  assuranceOf: 'mức đảm bảo: xác thực {authentication}, danh tính {identity}',
  signedOut: 'Bạn đã đăng xuất',
  signedOutBody: 'Bạn đã đăng xuất khỏi dịch vụ và khỏi tài khoản định danh.',
  backToStart: 'Về trang đầu',
  signInFailed: 'Không đăng nhập được',
  tryAgain: 'Thử đăng nhập lại',
  applicationSent: 'Đã gửi hồ sơ',
  yourReference: 'Mã hồ sơ của bạn',
  whatHappensNext: 'Điều gì xảy ra tiếp theo',
  nextSteps:
    'Ủy ban nhân dân phường sẽ xem xét hồ sơ và gọi cho bạn trong 10 ngày làm việc. Hãy ghi lại mã hồ sơ khi liên hệ với chúng tôi.',
  pageNotFound: 'Không tìm thấy trang',
  pageNotFoundBody: 'Nếu bạn gõ địa chỉ trang, hãy kiểm tra lại.',
  serviceProblem: 'Xin lỗi, dịch vụ đang gặp sự cố',
  serviceProblemBody: 'Vui lòng thử lại sau.',
} as const;

type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  serviceName: 'Apply for a street-vending permit',
  startIntro:
    'Use this service to apply for a permit to sell goods on the pavement and street in your ward.',
  startNeeds: 'You need:',
  needsAccount: 'a digital identity account with your identity verified',
  needsPhone: 'a mobile phone number',
  needsFoodCertificate: 'a food safety knowledge certificate, if you will sell food or drink',
  startTime: 'It takes about 5 minutes.',
  signInToStart: 'Sign in to start',
  startNow: 'Start now',
  yourDetails: 'Your verified details',
  fullName: 'Full name',
  detailsFromIdentity: 'These come from your digital identity account and cannot be changed here.',
  signOut: 'Sign out',
  chooseTestPerson: 'Choose a test person',
  devProviderExplained:
    'This is the development identity provider: it signs anyone in as the test person they choose. A real service sends you to the national identity provider instead.',
  assuranceOf: 'assurance: authentication {authentication}, identity {identity}',
  signedOut: 'You have signed out',
  signedOutBody: 'You have signed out of the service and of your identity account.',
  backToStart: 'Back to the start',
  signInFailed: 'You could not sign in',
  tryAgain: 'Try signing in again',
  applicationSent: 'Application sent',
  yourReference: 'Your reference number',
  whatHappensNext: 'What happens next',
  nextSteps:
    'Your ward People’s Committee will review your application and call you within 10 working days. Quote your reference number when you contact us.',
  pageNotFound: 'Page not found',
  pageNotFoundBody: 'If you typed the web address, check it is correct.',
  serviceProblem: 'Sorry, there is a problem with the service',
  serviceProblemBody: 'Try again later.',
};

/**
 * The text of the service's own pages (the form's pages carry their own).
 *
 * @example
 * ```ts
 * messages.translate('vi', 'signOut'); // 'Đăng xuất'
 * ```
 */
export const messages: MessageCatalogue<MessageKey> = createMessageCatalogue<MessageKey>({
  messages: { vi, en },
  defaultLocale: 'vi',
});
