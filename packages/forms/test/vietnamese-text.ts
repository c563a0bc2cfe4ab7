// Varied Vietnamese prose for tests of long answers: syllables drawn by a
// seeded generator, so the text is the same every run but does not shrink
// to nothing when compressed (as a repeated sentence would).
const syllables = (
  'tôi đã đến ủy ban nhân dân phường để nộp hồ sơ đăng ký giấy phép kinh doanh cho cửa hàng ' +
  'của gia đình ở đường Lê Lợi quận một thành phố Hồ Chí Minh vào buổi sáng thứ hai tuần trước ' +
  'cán bộ tiếp nhận yêu cầu bổ sung bản sao căn cước công dân và hợp đồng thuê nhà có công chứng ' +
  'chúng tôi bán bánh mì phở bún chả cà phê sữa đá nước mía trái cây tươi mỗi ngày từ sáu giờ ' +
  'đến mười giờ tối trên vỉa hè rộng hai mét gần trường tiểu học Nguyễn Trãi và chợ Bến Thành ' +
  'xin được xem xét cấp phép sớm vì đây là nguồn thu nhập chính nuôi ba người con đang đi học ' +
  'nghĩa vụ thuế phí lệ phí vệ sinh an toàn thực phẩm phòng cháy chữa cháy trật tự đô thị'
).split(' ');

/** `length` characters of Vietnamese words (NFC), the same for the same seed. */
export function vietnameseText(length: number, seed = 7): string {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  };
  let text = '';
  let sentence = 0;
  while (text.length < length) {
    const word = syllables[next() % syllables.length] ?? 'và';
    sentence += 1;
    const ending = sentence % (8 + (next() % 9)) === 0 ? '. ' : ' ';
    text +=
      sentence === 1 || text.endsWith('. ') ? word.charAt(0).toUpperCase() + word.slice(1) : word;
    text += ending;
  }
  return text.slice(0, length).trimEnd().padEnd(length, '.').normalize('NFC');
}
