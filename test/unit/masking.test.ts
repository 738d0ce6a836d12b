/** §5 档案封存: listings mask phones and addresses beyond the district, and omit health notes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskAddress, maskCustomer, maskFreeText, maskIdCard } from '../../src/domain/masking.js';
import { maskPhone } from '../../src/domain/values.js';

describe('maskAddress: the address up to its district, then ****', () => {
  it.each<[string, string | null, string | null, string | null]>([
    ['a full address keeps province, city and county', '浙江省金华市浦江县浦阳街道江滨路1号', '330726', '浙江省金华市浦江县****'],
    ['written from the city: that prefix is kept', '金华市浦江县浦阳街道', '330726', '金华市浦江县****'],
    ['written from the county: that prefix is kept', '浦江县浦阳街道', '330726', '浦江县****'],
    ['spaces inside the address do not break the prefix', '浙江省 金华市 浦江县 浦阳街道', '330726', '浙江省金华市浦江县****'],
    ['a municipality district', '北京市朝阳区建国路1号', '110105', '北京市朝阳区****'],
    ['a municipality district written alone', '朝阳区建国路1号', '110105', '朝阳区****'],
    ['a county-level city', '浙江省义乌市稠城街道', '330782', '浙江省金华市义乌市****'],
    ['a city-level district keeps the city', '浙江省杭州市文三路', '330100', '浙江省杭州市****'],
    ['a province-level district keeps the municipality', '上海市光明路100号', '310000', '上海市****'],
    ['the address does not start with the district: its full name stands in', '浦阳街道江滨路1号', '330726', '浙江省金华市浦江县****'],
    ['short names in the address: the full name stands in', '浙江金华浦江浦阳街道', '330726', '浙江省金华市浦江县****'],
    ['no district: everything is masked', '建国路1号', null, '****'],
    ['an unknown district code: everything is masked', '浙江省杭州市文三路', '999999', '****'],
    ['no address stays no address', null, '330726', null],
    ['an empty address is no address', '', '330726', null],
  ])('%s: %j in %s → %j', (_rule, address, district, expected) => {
    expect(maskAddress(address, district)).toBe(expected);
  });

  it('nothing after the district ever shows', () => {
    const masked = maskAddress('浙江省金华市浦江县浦阳街道江滨路1号3幢502室', '330726')!;
    for (const secret of ['浦阳', '江滨路', '1号', '502']) expect(masked).not.toContain(secret);
  });
});

describe('maskCustomer: a customer as listings show it', () => {
  const customer = {
    customer_id: 7,
    name: '刘芳',
    phone: '13812345678',
    address: '浙江省金华市浦江县浦阳街道江滨路1号',
    district: '330726',
    health: '高血压，糖尿病',
  };

  it('masks the phone and the address, drops health, keeps the rest', () => {
    expect(maskCustomer(customer)).toEqual({
      customer_id: 7,
      name: '刘芳',
      phone: '138****5678',
      address: '浙江省金华市浦江县****',
      district: '330726',
    });
  });

  it('has no health key at all (not even undefined), and leaves the input untouched', () => {
    const masked = maskCustomer(customer);
    expect(Object.keys(masked)).not.toContain('health');
    expect(JSON.stringify(masked)).not.toContain('高血压');
    expect(customer.phone).toBe('13812345678');
    expect(customer.health).toBe('高血压，糖尿病');
  });

  it('a landline and an unknown district', () => {
    expect(maskCustomer({ phone: '057984123456', address: '某某路1号', district: null })).toEqual({
      phone: '057*****3456',
      address: '****',
      district: null,
    });
  });
});

describe('maskFreeText: phone and ID numbers inside notes, reasons and names', () => {
  it.each<[string, string, string]>([
    // rule, text, expected
    ['the issue’s note: a mobile and an ID glued to Chinese', '新号码13911112222 身份证330726195001011234', '新号码139****2222 身份证330726********1234'],
    ['a mobile alone', '13911112222', '139****2222'],
    ['a mobile with spaces 3-4-4', '139 1111 2222', '139****2222'],
    ['a mobile with dashes 3-4-4', '139-1111-2222', '139****2222'],
    ['a mobile written 3-8', '139 11112222', '139****2222'],
    ['a mobile written 7-4', '1391111-2222', '139****2222'],
    ['a mobile with full-width dashes', '139－1111－2222', '139****2222'],
    ['a mobile with spaces around a dash', '139 - 1111 - 2222', '139****2222'],
    ['a mobile with ideographic spaces', '139\u30001111\u30002222', '139****2222'],
    ['+86 glued: the prefix is kept', '+8613911112222', '+86139****2222'],
    ['+86 and spaces', '+86 139 1111 2222', '+86 139****2222'],
    ['full-width +86', '＋８６ １３９１１１１２２２２', '＋８６ 139****2222'],
    ['0086 prefix', '0086-13911112222', '0086-139****2222'],
    ['86 glued before a mobile', '8613911112222', '86139****2222'],
    ['86 apart before a mobile', '86 139 1111 2222', '86 139****2222'],
    ['full-width digits', '电话１３９１１１１２２２２', '电话139****2222'],
    ['glued to Chinese on both sides', '请打13911112222找王阿姨', '请打139****2222找王阿姨'],
    ['glued to ASCII letters on both sides', 'tel13911112222ext', 'tel139****2222ext'],
    ['two numbers apart by a space', '13911112222 13800001111', '139****2222 138****1111'],
    ['a mobile then an amount', '13911112222 3980元', '139****2222 3980元'],
    ['a date then a mobile', '2024-05-09 13911112222', '2024-05-09 139****2222'],
    ['a landline with a dash', '0571-88881234', '057*****1234'],
    ['a landline glued', '057188881234', '057*****1234'],
    ['a landline with a 3-digit area code', '010-8888 1234', '010****1234'],
    ['a landline with a 7-digit local number', '0579 8412345', '057****2345'],
    ['a landline with the area code in brackets', '家里(0571)8888-1234晚上', '家里057*****1234晚上'],
    ['a landline with full-width brackets', '（0571）88881234', '057*****1234'],
    ['+86 landline without its trunk 0', '+86 571 8888 1234', '+86 571****1234'],
    ['an 18-digit ID', '身份证330726195001011234', '身份证330726********1234'],
    ['an 18-digit ID ending in X', '33072619500101123X号', '330726********123X号'],
    ['an 18-digit ID ending in x: written X', '33072619500101123x', '330726********123X'],
    ['an ID with spaces 6-8-4', '330726 19500101 1234', '330726********1234'],
    ['an ID with dashes 6-4-4-4', '330726-1950-0101-1234', '330726********1234'],
    ['an ID in full-width digits', '３３０７２６１９５００１０１１２３４', '330726********1234'],
    ['a 15-digit old ID', '旧证330726500101123', '旧证330726*****1123'],
    // left alone
    ['an amount', '收款3980元', '收款3980元'],
    ['an amount with separators', '¥12,800.00', '¥12,800.00'],
    ['a date', '2024-05-09复诊', '2024-05-09复诊'],
    ['a date in Chinese', '2024年5月9日', '2024年5月9日'],
    ['a short order number', '订单SO-2024-0701、#12345678', '订单SO-2024-0701、#12345678'],
    ['a 10-digit number not starting with 0 or 1[3-9]', '单号2024050901', '单号2024050901'],
    ['a local number without area code (indistinguishable from an order number)', '88881234', '88881234'],
    ['an 11-digit number not a mobile (12…)', '12911112222', '12911112222'],
    ['18 digits with no valid birth date', '330726195013011234', '330726195013011234'],
    ['a time', '10:30 到访', '10:30 到访'],
    ['no digits at all', '血压偏高，按时服药', '血压偏高，按时服药'],
    ['empty', '', ''],
  ])('%s: %j → %j', (_rule, text, expected) => {
    expect(maskFreeText(text)).toBe(expected);
  });

  it('null stays null', () => {
    expect(maskFreeText(null)).toBeNull();
  });

  it('maskIdCard keeps the region code and the last 4', () => {
    expect(maskIdCard('330726195001011234')).toBe('330726********1234');
    expect(maskIdCard('330726500101123')).toBe('330726*****1123');
  });
});

// ---- generators for the properties: a secret number written the ways people write them ----

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
const pick = <T,>(...xs: T[]) => fc.constantFrom(...xs);
const SEPS = [' ', '-', '－', '\u3000', ' - ', '—'];
const sep = pick(...SEPS);
const pad = (n: number) => String(n).padStart(2, '0');

interface Secret {
  kind: 'mobile' | 'landline' | 'id';
  /** the digits that must never show whole (the national number, or the ID) */
  plain: string;
  /** how it is written in the note */
  written: string;
  /** the masked form expected in the output */
  masked: string;
}

const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const maybeFullWidth = (s: string) => fc.boolean().map((fw) => (fw ? fullWidth(s) : s));

/** joins groups with one separator (the same between all groups, as people write them) */
const joined = (groups: string[]) => fc.tuple(fc.boolean(), sep).map(([glued, s]) => (glued ? groups.join('') : groups.join(s)));

const mobile: fc.Arbitrary<Secret> = fc
  .tuple(pick('3', '4', '5', '6', '7', '8', '9'), digits(9))
  .chain(([second, rest]) => {
    const plain = '1' + second + rest;
    const layouts = [[plain], [plain.slice(0, 3), plain.slice(3, 7), plain.slice(7)], [plain.slice(0, 3), plain.slice(3)], [plain.slice(0, 7), plain.slice(7)]];
    return fc
      .tuple(pick(...layouts).chain(joined), pick('', '+86', '+86 ', '+86-', '0086', '0086 ', '86', '86 ', '＋86 '))
      .chain(([body, prefix]) => maybeFullWidth(prefix + body))
      .map((written) => ({ kind: 'mobile' as const, plain, written, masked: maskPhone(plain) }));
  });

const landline: fc.Arbitrary<Secret> = fc
  .tuple(pick('010', '021', '020', '0571', '0579', '0755', '0931'), pick('2', '3', '5', '6', '8'), digits(7), fc.boolean())
  .chain(([area, first, rest, seven]) => {
    const local = first + (area.length === 4 && seven ? rest.slice(1) : rest);
    const plain = area + local;
    const split = [local.slice(0, local.length - 4), local.slice(-4)];
    return fc
      .oneof(
        joined([area, local]),
        joined([area, ...split]),
        fc.constant(`(${area})${local}`),
        fc.constant(`（${area}）${split.join('-')}`),
      )
      .chain(maybeFullWidth)
      .map((written) => ({ kind: 'landline' as const, plain, written, masked: maskPhone(plain) }));
  });

const idCard: fc.Arbitrary<Secret> = fc
  .tuple(
    pick('1', '2', '3', '4', '5', '6', '7', '8'),
    digits(5),
    fc.integer({ min: 1920, max: 2023 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    digits(3),
    pick('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', 'x'),
    fc.boolean(),
  )
  .chain(([p, region, y, m, d, seq, check, old]) => {
    const plain = old ? `${p}${region}${String(y).slice(2)}${pad(m)}${pad(d)}${seq}` : `${p}${region}${y}${pad(m)}${pad(d)}${seq}${check}`;
    const layouts = old
      ? [[plain], [plain.slice(0, 6), plain.slice(6, 12), plain.slice(12)]]
      : [[plain], [plain.slice(0, 6), plain.slice(6, 14), plain.slice(14)], [plain.slice(0, 6), plain.slice(6, 10), plain.slice(10, 14), plain.slice(14)]];
    return pick(...layouts)
      .chain(joined)
      .chain(maybeFullWidth)
      .map((written) => ({ kind: 'id' as const, plain, written, masked: maskIdCard(plain) }));
  });

const secret = fc.oneof(mobile, landline, idCard);

/** text around the number: Chinese, ASCII words, punctuation and ordinary numbers (amounts, dates…) */
const word = pick('新号码', '身份证', '电话', '请回电', '王阿姨', '血压偏高', 'Tel', 'ID', 'note', 'abc', 'ext', 'X', '：', '，', '。', '、', '(', ')');
// each ends in a non-digit: two ordinary numbers glued together would be another number
const decoy = pick('3980元', '¥12,800.00元', '2024-05-09复诊', '2024/5/9日', '2024年5月9日', '10:30到', '#12345号', 'SO-2024-0701单', '88881234号', '第2次', '95%');
/** what touches the number: never a digit (that would be another number), a bracket, a plus or a separator */
const edge = pick('新', '号', '码', '证', '：', '，', '。', 'a', 'Z', 'x', 'T', '!', '/');
const around = fc
  .array(fc.oneof(word, decoy, pick(' ', '，')), { maxLength: 6 })
  .map((parts) => parts.join(''));

/** the output's digits with full-width folded and separators removed, so `139 1111 2222` cannot hide */
const digitsOf = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000\-－—–()（）+＋]/g, '');

describe('maskFreeText properties (fast-check)', () => {
  it('a number anywhere in a note (start, middle, end, glued to text) comes out masked, the rest untouched', () => {
    fc.assert(
      fc.property(secret, fc.option(fc.tuple(around, edge)), fc.option(fc.tuple(edge, around)), (sec, before, after) => {
        const pre = before ? before[0] + before[1] : '';
        const post = after ? after[0] + after[1] : '';
        const out = maskFreeText(pre + sec.written + post);
        expect(digitsOf(out)).not.toContain(sec.plain.toUpperCase());
        expect(digitsOf(out)).not.toContain(sec.plain);
        expect(out).toContain(sec.masked);
        // the text around it is as it was, ordinary numbers included
        expect(out.startsWith(pre)).toBe(true);
        expect(out.endsWith(post)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('several numbers in one note, separated by anything but digits: none leaves unmasked', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(around, edge, secret, edge), { minLength: 1, maxLength: 4 }), around, (parts, tail) => {
        const note = parts.map(([a, e, s, e2]) => a + e + s.written + e2).join('') + tail;
        const out = maskFreeText(note);
        for (const [, , s] of parts) {
          expect(digitsOf(out)).not.toContain(s.plain);
          expect(out).toContain(s.masked);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('text without such numbers is returned unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(word, decoy, pick(' ', '，')), { maxLength: 10 }), (parts) => {
        const note = parts.join('');
        expect(maskFreeText(note)).toBe(note);
      }),
      { numRuns: 1000 },
    );
  });

  it('masking is idempotent', () => {
    fc.assert(
      fc.property(around, secret, around, (a, s, b) => {
        const once = maskFreeText(a + '：' + s.written + '。' + b);
        expect(maskFreeText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});
