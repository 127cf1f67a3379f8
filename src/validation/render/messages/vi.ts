import { vietnamTime } from '../time.js';
import type { Catalogue } from './catalogue.js';

/** Roles kyso's signing tool records and XML profiles name, as an office says them. */
const ROLE: Record<string, string> = {
  approved: 'phê duyệt',
  issued: 'ban hành',
  appendix: 'phụ lục',
  copy: 'sao y',
  seller: 'người bán',
  buyer: 'người mua',
  'tax-authority': 'cơ quan thuế',
  taxpayer: 'người nộp thuế',
  declarant: 'người khai',
  unit: 'đơn vị',
};
const role = (r: string) => ROLE[r] ?? r;

/** XML profiles, by the kind of document. */
const PROFILE: Record<string, string> = {
  einvoice: 'hóa đơn điện tử',
  tax: 'tờ khai thuế',
  bhxh: 'hồ sơ bảo hiểm xã hội',
};

/** Tiếng Việt: lời văn hành chính cho người đọc không chuyên (văn thư, kế toán, người dân). */
export const vi: Catalogue = {
  locale: 'vi',
  labelWidth: 13,
  verdict: { TOTAL_PASSED: 'Chữ ký hợp lệ', INDETERMINATE: 'Không xác định', TOTAL_FAILED: 'Chữ ký không hợp lệ' },
  timestampVerdict: {
    TOTAL_PASSED: 'Dấu thời gian hợp lệ',
    INDETERMINATE: 'Không xác định',
    TOTAL_FAILED: 'Dấu thời gian không hợp lệ',
  },
  subIndication: {
    FORMAT_FAILURE: 'Chữ ký không đúng định dạng theo tiêu chuẩn, hoặc tệp chứa chữ ký bị hỏng.',
    HASH_FAILURE: 'Nội dung đã ký bị thay đổi sau khi ký nên không còn khớp với chữ ký.',
    SIG_CRYPTO_FAILURE: 'Giá trị chữ ký không khớp với chứng thư số của người ký.',
    SIGNED_DATA_NOT_FOUND: 'Không tìm thấy nội dung mà chữ ký xác nhận.',
    NO_SIGNING_CERTIFICATE_FOUND: 'Chữ ký không kèm chứng thư số của người ký nên không xác định được người ký.',
    NO_CERTIFICATE_CHAIN_FOUND:
      'Không xác minh được chứng thư số của người ký là do một tổ chức chứng thực được tin cậy cấp (hoặc chưa chọn nguồn tin cậy).',
    CHAIN_CONSTRAINTS_FAILURE:
      'Một chứng thư trong chuỗi chứng thực không được phép bảo đảm cho chứng thư của người ký.',
    CERTIFICATE_CHAIN_GENERAL_FAILURE:
      'Không xác minh được chuỗi chứng thực từ chứng thư số của người ký tới tổ chức chứng thực được tin cậy.',
    CRYPTO_CONSTRAINTS_FAILURE: 'Chữ ký dùng thuật toán hoặc độ dài khóa không còn được coi là an toàn.',
    SIG_CONSTRAINTS_FAILURE: 'Chữ ký vi phạm quy tắc kiểm tra (ví dụ: chữ ký ghi nhận một chứng thư số khác).',
    OUT_OF_BOUNDS_NO_POE:
      'Chứng thư số của người ký đã hết hạn và không có bằng chứng chữ ký được tạo trước thời điểm đó.',
    OUT_OF_BOUNDS_NOT_REVOKED: 'Chứng thư số của người ký đã hết hạn (không bị thu hồi).',
    REVOKED: 'Chứng thư số của người ký đã bị thu hồi trước thời điểm ký.',
    REVOKED_NO_POE:
      'Chứng thư số của người ký đã bị thu hồi và không có bằng chứng chữ ký được tạo trước thời điểm thu hồi.',
    TRY_LATER: 'Chưa có thông tin về tình trạng thu hồi của chứng thư số; đề nghị kiểm tra lại sau.',
    EXPIRED: 'Chứng thư số của người ký đã hết hạn tại thời điểm cần xét.',
    NOT_YET_VALID: 'Chứng thư số của người ký chưa có hiệu lực tại thời điểm cần xét.',
    REVOCATION_OUT_OF_BOUNDS_NO_POE:
      'Thông tin thu hồi hiện có đã quá cũ so với thời điểm cần xét, và không có bằng chứng chữ ký đã tồn tại trước đó.',
  },
  finding: {
    'format-invalid': 'Cấu trúc chữ ký không đúng quy định',
    'byte-range-invalid': 'Vùng dữ liệu được ký (ByteRange) không hợp lệ',
    'signer-count': 'Số người ký trong chữ ký không như quy định',
    'content-type-mismatch': 'Loại nội dung khai báo trong chữ ký không khớp',
    'attribute-duplicate': 'Một thuộc tính của chữ ký bị lặp lại',
    'algorithm-identifier-nonstandard': 'Mã thuật toán được ghi không theo chuẩn',
    'subfilter-unusual': 'Định dạng chữ ký (SubFilter) không thông dụng',
    'contents-trailing-bytes': 'Có dữ liệu thừa sau chữ ký',
    'digest-mismatch': 'Nội dung đã bị thay đổi sau khi ký (giá trị băm không khớp)',
    'signature-invalid': 'Giá trị chữ ký không đúng',
    'signing-certificate-mismatch': 'Chữ ký ghi nhận một chứng thư số khác với chứng thư đã dùng để ký',
    'signing-certificate-absent': 'Chữ ký thiếu thuộc tính chứng thư ký theo yêu cầu của PAdES',
    'signer-certificate-not-found': 'Không có chứng thư số của người ký để kiểm tra chữ ký',
    'signed-data-not-found': 'Không xác định được dữ liệu đã được ký',
    'algorithm-unsupported': 'Thuật toán không được hỗ trợ hoặc không kiểm tra được',
    'hash-weak': 'Hàm băm không còn an toàn (ví dụ SHA-1)',
    'key-weak': 'Khóa của người ký quá ngắn theo chính sách',
    'no-trust-anchors': 'Chưa chọn tổ chức chứng thực gốc được tin cậy',
    'chain-invalid': 'Không xác minh được chuỗi chứng thực của người ký',
    revoked: 'Chứng thư số của người ký đã bị thu hồi trước khi ký',
    'revoked-no-poe': 'Chứng thư số đã bị thu hồi và không có bằng chứng chữ ký được tạo trước đó',
    'revocation-unknown': 'Chưa xác định được tình trạng thu hồi của chứng thư số',
    'revocation-required': 'Chính sách yêu cầu kiểm tra tình trạng thu hồi nhưng chưa có dữ liệu',
    'revocation-algorithm-refused':
      'Phản hồi OCSP hoặc danh sách thu hồi (CRL) được ký bằng thuật toán hoặc khóa mà chính sách không chấp nhận, nên không chứng minh được tình trạng thu hồi',
    'expired-poe': 'Chứng thư số đã hết hạn, nhưng dấu thời gian chứng minh chữ ký được tạo khi chứng thư còn hiệu lực',
    'algorithm-accepted-by-date':
      'Thuật toán cũ (SHA-1) được chấp nhận vì chứng thư được cấp trước thời hạn ngừng sử dụng',
    'revoked-after-poe': 'Chứng thư số bị thu hồi sau thời điểm ký đã được dấu thời gian chứng minh',
    'claimed-time-outside-validity': 'Thời điểm ký khai báo nằm ngoài thời hạn hiệu lực của chứng thư số',
    'timestamp-invalid': 'Dấu thời gian không hợp lệ',
    'timestamp-algorithm-refused':
      'Dấu thời gian dùng thuật toán hoặc khóa mà chính sách không chấp nhận, nên không chứng minh được thời điểm ký',
    'timestamp-later-than-signing-time': 'Dấu thời gian muộn hơn nhiều so với thời điểm ký khai báo',
    'changes-not-permitted': 'Tài liệu đã bị thay đổi sau khi ký theo cách không được phép',
    'changes-reported': 'Tài liệu có thay đổi sau khi ký cần được xem xét',
    'signature-misplaced': 'Chữ ký nằm sai vị trí hoặc không đúng vai trò của người ký',
    'signing-time-unsigned': 'Thời điểm ký không được bảo vệ bởi chữ ký',
    'reference-dotnet-rule': 'Tham chiếu chỉ khớp theo cách đọc riêng của .NET',
    'unsigned-namesake': 'Tài liệu có phần trùng tên với phần đã ký nhưng không được ký',
    'unsigned-comments': 'Phần đã ký có chú thích (comment) không được chữ ký bảo vệ',
    'policy-not-met': 'Chữ ký không đáp ứng chính sách kiểm tra',
    'policy-not-applicable': 'Một yêu cầu của chính sách không áp dụng được cho loại tài liệu này',
    'document-repaired': 'Cấu trúc tệp bị hỏng; tài liệu được đọc bằng cách dò lại các đối tượng',
    'hidden-signatures': 'Có chữ ký nằm ngoài biểu mẫu hoặc đã bị thay thế',
    'signatures-outside-form':
      'Có chữ ký không còn bao trùm tài liệu (bản sao ghép hoặc lưu lại, hoặc ô chữ ký đã bị xóa)',
    'too-many-signatures': 'Tài liệu có quá nhiều chữ ký; chỉ một phần được kiểm tra',
    'no-signature': 'Tài liệu không có chữ ký',
    note: 'Ghi chú',
  },
  changedAfterSigning: 'Tài liệu đã bị sửa đổi sau khi ký theo cách mà chữ ký không cho phép.',
  change: {
    signature: 'thêm chữ ký hoặc ô chữ ký',
    'document-timestamp': 'thêm dấu thời gian cho tài liệu',
    'form-field': 'điền hoặc sửa ô nhập liệu của biểu mẫu',
    dss: 'bổ sung dữ liệu phục vụ kiểm tra chữ ký (chứng thư, tình trạng thu hồi)',
    annotation: 'thêm hoặc xóa ghi chú trên trang',
    metadata: 'sửa thông tin mô tả tài liệu (tiêu đề, tác giả…)',
    'page-content': 'sửa nội dung hiển thị trên trang',
    pages: 'thêm, bớt, đổi thứ tự hoặc vẽ lại các trang',
    catalog: 'sửa cấu trúc chung của tài liệu',
    trailer: 'sửa phần cấu trúc cuối tệp',
    'object-overwritten': 'ghi đè lên một phần nội dung đã ký',
    'object-defined-late': 'bổ sung phần nội dung mà bản đã ký có nhắc tới nhưng chưa có',
    'object-deleted': 'xóa một phần nội dung đã ký',
    'appended-without-xref': 'nối thêm dữ liệu vào tệp không theo cách cập nhật chuẩn',
    'trailing-bytes': 'có dữ liệu không rõ nguồn gốc nối vào cuối tệp',
    'unreadable-revision': 'không đọc được một phiên bản của tài liệu',
  },
  changeStatus: { permitted: 'được phép', reported: 'cần lưu ý', 'not-permitted': 'KHÔNG được phép' },
  coverage: {
    'whole-document': 'không có sửa đổi nào',
    'permitted-changes': 'có bổ sung, tất cả đều được phép',
    'changes-reported': 'có bổ sung được phép nhưng cần xem lại',
    'not-permitted-changes': 'tài liệu đã bị sửa, có thay đổi KHÔNG được phép',
  },
  chainStatus: {
    valid: 'hợp lệ',
    'no-chain': 'không tìm thấy chuỗi chứng thực tới tổ chức được tin cậy',
    expired: 'chứng thư đã hết hạn',
    'not-yet-valid': 'chứng thư chưa có hiệu lực',
    'signature-invalid': 'chữ ký trên một chứng thư của chuỗi không hợp lệ',
    'not-ca': 'một chứng thư trung gian không thuộc tổ chức chứng thực',
    'key-usage': 'chứng thư không được phép dùng cho mục đích này',
    revoked: 'chứng thư đã bị thu hồi',
    constraints: 'chuỗi chứng thực vi phạm ràng buộc (tên, chính sách hoặc phần mở rộng bắt buộc không được hỗ trợ)',
    algorithm: 'một chứng thư của chuỗi được ký bằng thuật toán không được chấp nhận hoặc không kiểm tra được',
    'revocation-unknown': 'không xác định được tình trạng thu hồi của chứng thư',
  },
  level: {
    'B-B': 'PAdES B-B (chữ ký cơ bản)',
    'B-T': 'PAdES B-T (có dấu thời gian tin cậy)',
    'B-LT': 'PAdES B-LT (kèm dữ liệu kiểm tra dài hạn)',
    'B-LTA': 'PAdES B-LTA (lưu trữ dài hạn, dữ liệu kiểm tra có dấu thời gian)',
  },
  docMdp: {
    1: 'không cho phép sửa đổi',
    2: 'cho phép điền biểu mẫu và ký tiếp',
    3: 'cho phép điền biểu mẫu, ký tiếp và thêm ghi chú',
  },
  label: {
    signer: 'Người ký',
    organisation: 'Tổ chức',
    issuer: 'Cấp bởi',
    certificate: 'Chứng thư số',
    signedAt: 'Thời điểm ký',
    timestamp: 'Dấu thời gian',
    reason: 'Lý do ký',
    location: 'Địa điểm',
    integrity: 'Toàn vẹn',
    algorithms: 'Thuật toán',
    trust: 'Tin cậy',
    level: 'Mức chữ ký',
    certifies: 'Chứng nhận',
    locks: 'Khóa ô',
    coverage: 'Sau khi ký',
    why: 'Giải thích',
    signedData: 'Dữ liệu ký',
    tsa: 'Cấp bởi',
    serial: 'Số hiệu',
  },
  text: {
    signatureTitle: ({ kind, index, field, hidden, role: r }) => {
      const title = {
        signature: 'Chữ ký số',
        certification: 'Chữ ký chứng nhận',
        'document-timestamp': 'Dấu thời gian tài liệu',
        hidden: 'Chữ ký ẩn',
      }[kind];
      const where = hidden
        ? hidden === 'superseded'
          ? ' (bản cũ của một chữ ký đã bị thay thế trong tệp)'
          : ' (không nằm trong ô chữ ký nào của biểu mẫu)'
        : ` “${field}”`;
      return `${title} #${index}${where}${r ? ` [${role(r)}]` : ''}`;
    },
    role,
    pdfHead: ({ signatures, revisions, orphans }) =>
      orphans
        ? `${orphans} chữ ký không còn bao trùm tài liệu (${signatures} chữ ký trong biểu mẫu, ${revisions} phiên bản)`
        : `${signatures} chữ ký, ${revisions} phiên bản`,
    xmlHead: ({ signatures, profile }) =>
      `${signatures} chữ ký XML${profile ? `, ${PROFILE[profile] ?? `loại tài liệu ${profile}`}` : ''}`,
    xmlSignatureTitle: ({ index, path, role: r }) => `Chữ ký #${index} tại ${path}${r ? ` (${role(r)})` : ''}`,
    detachedHead: 'chữ ký tách rời',
    detachedSigners: (n) => `${n} người ký`,
    detachedSignerTitle: (n) => `Người ký #${n}`,
    timestampHead: 'dấu thời gian',
    time: (d) => {
      const t = vietnamTime(d);
      return `${t.hour}:${t.minute}:${t.second} ngày ${t.day}/${t.month}/${t.year} (giờ Việt Nam)`;
    },
    day: (d) => {
      const t = vietnamTime(d);
      return `${t.day}/${t.month}/${t.year}`;
    },
    claimedTime: ({ validThen }) =>
      `do phần mềm ký ghi nhận${validThen === undefined ? '' : validThen ? ', khi đó chứng thư còn hiệu lực' : ', khi đó chứng thư KHÔNG còn hiệu lực'}`,
    timestampLine: ({ time, tsa, valid }) =>
      `${time ?? '?'}${tsa ? `, cấp bởi ${tsa}` : ''}: ${valid ? 'hợp lệ' : 'KHÔNG hợp lệ'}`,
    certificate: ({ from, to, key, serial }) => `hiệu lực từ ${from} đến ${to}, khóa ${key}, số hiệu ${serial}`,
    pdfIntegrity: (i) => {
      const wrong = [
        !i.byteRange && 'vùng dữ liệu được ký không đúng quy cách',
        !i.format && 'định dạng chữ ký sai',
        i.digest === false && 'nội dung đã ký bị thay đổi',
        i.digest === null && 'chưa kiểm tra được nội dung đã ký',
        i.signatureValue === false && 'giá trị chữ ký sai',
        i.signingCertificate === 'mismatch' && 'chữ ký ghi nhận một chứng thư khác',
      ].filter(Boolean);
      return wrong.length
        ? `KHÔNG toàn vẹn: ${wrong.join('; ')}`
        : 'nội dung đã ký còn nguyên vẹn, giá trị chữ ký đúng';
    },
    digestAlgorithm: (d) => `hàm băm ${d}`,
    trustChain: (anchor) => `được xác nhận bởi “${anchor}”`,
    certifies: (p) => `DocMDP P=${p} (${vi.docMdp[p]})`,
    locks: ({ action, fields }) =>
      action === 'All' ? 'mọi ô của biểu mẫu' : `${action === 'Include' ? 'các ô ' : 'mọi ô trừ '}${fields.join(', ')}`,
    signsRevision: (n) => ` (chữ ký áp dụng cho phiên bản ${n})`,
    change: ({ status, kind, field }) =>
      `${vi.changeStatus[status]}: ${vi.change[kind]}${field ? ` (ô “${field}”)` : ''}`,
    emptyFields: (names) => `ô chữ ký còn trống: ${names.join(', ')}`,
    xmlSigningTime: ({ time, signed }) => `${time}${signed ? '' : ' (thời điểm này không được chữ ký bảo vệ)'}`,
    xmlIntegrity: ({ ok, references }) =>
      ok
        ? 'mọi phần đã ký và giá trị chữ ký đều đúng'
        : `KHÔNG toàn vẹn; phần bị thay đổi: ${
            references
              .filter((r) => !r.ok)
              .map((r) => r.uri || 'toàn bộ tài liệu')
              .join(', ') || 'giá trị chữ ký'
          }`,
    xmlSignedWithoutProfile: (paths) =>
      `${paths.join(', ') || 'không có'} (không có quy định nào cho biết phần mềm nghiệp vụ đọc phần nào)`,
    xmlSignedData: ({ signed, altered, what }) =>
      signed
        ? `đúng phần ${what}`
        : altered
          ? `phần ${what} — chữ ký tham chiếu đúng phần này nhưng nội dung đã bị thay đổi sau khi ký`
          : `KHÔNG phải phần ${what} mà phần mềm nghiệp vụ đọc`,
    detachedSigner: (name) => `người ký: ${name}`,
    timestampImprint: (ok) =>
      ok ? 'dấu thời gian áp dụng đúng cho tệp này' : 'dấu thời gian áp dụng cho dữ liệu khác, không phải tệp này',
    unreadable: ({ message, code }) => `Không kiểm tra được tệp — ${message} [${code}]`,
    technicalDetail: 'chi tiết kỹ thuật: ',
  },
};
