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
    // the reviewer's formats (issue 12): dots, slashes, other groupings, prefixes in brackets
    ['a mobile with dots', '139.1111.2222', '139****2222'],
    ['a mobile with slashes', '139/1111/2222', '139****2222'],
    ['a mobile grouped 5-6', '13911 112222', '139****2222'],
    ['a mobile grouped 4-3-4', '1391 111 2222', '139****2222'],
    ['a mobile grouped 2-3-3-3', '13 911 112 222', '139****2222'],
    ['+86 and dashes', '+86 139-1111-2222', '+86 139****2222'],
    ['(+86) glued', '(+86)13911112222', '(+86)139****2222'],
    ['full-width (＋86)', '（＋86）139 1111 2222', '（＋86）139****2222'],
    ['86- before a mobile', '86-13911112222', '86-139****2222'],
    ['86 glued to a grouped mobile', '86139 1111 2222', '86139****2222'],
    ['full-width digits alone', '１３９１１１１２２２２', '139****2222'],
    ['full-width dots and slashes', '139．1111／2222', '139****2222'],
    ['a middle dot', '139·1111·2222', '139****2222'],
    ['a landline with dots', '0571.8888.1234', '057*****1234'],
    ['a landline with a slash after the area code', '0571/88881234', '057*****1234'],
    ['a landline and a mobile in one run: both readings masked as one, nothing left', '0571 8888 139 1111 2222', '057************2222'],
    ['a landline then a mobile apart', '0571-8888-1234 / 139-1111-2222', '057*****1234 / 139****2222'],
    ['a mobile glued behind other digits', '单号2024080513911112222', '单号20240805139****2222'],
    ['a mobile glued before other digits', '1391111222288元', '139****222288元'],
    ['a landline glued behind other digits', '3980057188881234', '3980057*****1234'],
    ['an ID glued before other digits, X between', '33072619500101123X3980', '330726********123X3980'],
    ['an x after a mobile is a letter', '13911112222x', '139****2222x'],
    ['a date, then a mobile across a space', '2024-05-06 15812345678', '2024-05-06 158****5678'],
    ['+86 landline with the area code in brackets', '+86 (571) 8888 1234', '+86 571****1234'],
    ['0086 landline without its trunk 0', '0086 571 8888 1234', '0086 571****1234'],
    // left alone
    ['the reviewer’s amounts and dates', '2024-08-05 收 1,280，¥3,980.00', '2024-08-05 收 1,280，¥3,980.00'],
    ['a date then a local number: the day is no area code', '2024-08-05 88881234', '2024-08-05 88881234'],
    ['a list of amounts apart by spaces', '1280 1380 1580 1980', '1280 1380 1580 1980'],
    ['amounts and dates apart by slashes', '1,280/2024/5/9/3980.00', '1,280/2024/5/9/3980.00'],
    ['an order number with letters', 'SO-2024-0701-0093', 'SO-2024-0701-0093'],
    ['a 12-digit order number with no phone inside', '202407012024', '202407012024'],
    ['an amount', '收款3980元', '收款3980元'],
    ['an amount with separators', '¥12,800.00', '¥12,800.00'],
    ['a date', '2024-05-09复诊', '2024-05-09复诊'],
    ['a date in Chinese', '2024年5月9日', '2024年5月9日'],
    ['a short order number', '订单SO-2024-0701、#12345678', '订单SO-2024-0701、#12345678'],
    ['a 10-digit number not starting with 0 or 1[3-9]', '单号2024050901', '单号2024050901'],
    ['a local number without area code (indistinguishable from an order number)', '88881234', '88881234'],
    ['an 11-digit number not a mobile (12…)', '12911112222', '12911112222'],
    ['18 digits that are no ID (year 2250, month 13) and hold no phone', '330726225013011234', '330726225013011234'],
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

// ---- generators for the properties: a sealed number written the ways people write them ----

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
const pick = <T,>(...xs: T[]) => fc.constantFrom(...xs);
const pad = (n: number) => String(n).padStart(2, '0');

/** what people put between the groups of a number: spaces, dashes, dots, slashes, in ASCII and full width */
const SEPARATORS = [' ', '  ', '-', ' - ', '－', '—', '–', '.', '．', '/', '／', ' / ', '\u3000', '\u00A0', '·'];
const sep = pick(...SEPARATORS);

/** `s` cut into 1–`most` groups at random places, joined by random separators (each gap its own) */
function grouped(s: string, most = 4): fc.Arbitrary<{ text: string; groups: number }> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: s.length - 1 }), { maxLength: most - 1 })
    .chain((cuts) => {
      const at = [0, ...[...cuts].sort((a, b) => a - b), s.length];
      const parts = at.slice(1).map((end, k) => s.slice(at[k], end));
      return fc.array(sep, { minLength: parts.length - 1, maxLength: parts.length - 1 }).map((seps) => ({
        text: parts.map((p, k) => (k === 0 ? p : seps[k - 1] + p)).join(''),
        groups: parts.length,
      }));
    });
}

const toFullWidth = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);
/** ASCII digits (and X) as written: all ASCII, all full width, or some of each */
function widths(s: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(s),
    fc.constant(s.replace(/[0-9Xx]/g, toFullWidth)),
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((fw) => [...s].map((c, k) => (fw[k] && /[0-9Xx]/.test(c) ? toFullWidth(c) : c)).join('')),
  );
}

interface Secret {
  kind: 'mobile' | 'landline' | 'id';
  /** what must never show 7 characters in a row: the national number, or the ID (X upper case) */
  sealed: string;
  /** how it is written in the note */
  written: string;
  /** what the note shows instead (a country prefix kept as written) */
  expected: string;
  /** whether other digits may touch it on that side (no separator) and it still reads as one number */
  glueBefore: boolean;
  glueAfter: boolean;
}

const PREFIXES = ['', '+86', '+86 ', '+86-', '(+86)', '（+86）', '(+86) ', '＋86 ', '+86 ', '0086', '0086 ', '0086-', '86', '86 ', '86-'];

const mobile: fc.Arbitrary<Secret> = fc
  .tuple(pick('3', '4', '5', '6', '7', '8', '9'), digits(9), pick(...PREFIXES))
  .chain(([second, rest, prefix]) => {
    const plain = '1' + second + rest;
    return grouped(plain).chain(({ text, groups }) =>
      widths(prefix + text).map((written): Secret => {
        // one glued group of digits (a glued 86/0086 included) may touch other digits on both sides
        const glued = groups === 1 && /^(|86|0086)$/.test(prefix);
        return { kind: 'mobile', sealed: plain, written, expected: written.slice(0, written.length - text.length) + maskPhone(plain), glueBefore: glued, glueAfter: glued };
      }),
    );
  });

const AREAS = ['010', '020', '021', '023', '029', '0351', '0431', '0571', '0579', '0755', '0851', '0931', '0991'];

const landline: fc.Arbitrary<Secret> = fc
  .tuple(pick(...AREAS), pick('2', '3', '5', '6', '7', '8'), digits(7), fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.boolean())
  .chain(([area, first, rest, seven, style, gluedBefore]) => {
    const local = first + (area.length === 4 && seven ? rest.slice(1) : rest);
    const plain = area + local;
    return grouped(local, 3).chain(({ text: localText, groups }) =>
      fc.tuple(sep, pick('', ' ')).chain(([gap, space]) => {
        // how the area code goes before the local number
        const abroad = area.slice(1); // behind +86 the trunk 0 is dropped
        const forms: [string, string, string, boolean][] = [
          // [written before the masked part, the digits the mask covers, the rest of the written number, one glued group]
          ['', plain, area + localText, groups === 1],
          ['', plain, area + gap + localText, false],
          ['', plain, `(${area})${space}${localText}`, false],
          ['', plain, `（${area}）${space}${localText}`, false],
          ['+86 ', abroad + local, abroad + gap + localText, false],
          ['(+86)', abroad + local, abroad + localText, groups === 1],
        ];
        const [prefix, masked, body, glued] = forms[style];
        return widths(prefix + body).map((written): Secret => ({
          kind: 'landline',
          sealed: masked,
          written,
          expected: written.slice(0, prefix.length) + maskPhone(masked),
          // an area code marks where a glued landline starts: it may touch digits on one side only
          // (on both, `3980057188881234398`, no reading can tell where it starts)
          glueBefore: glued && style === 0 && gluedBefore,
          glueAfter: glued && !(style === 0 && gluedBefore),
        }));
      }),
    );
  });

const PROVINCES = ['11', '31', '33', '37', '44', '51', '65'];

const idCard: fc.Arbitrary<Secret> = fc
  .tuple(
    pick(...PROVINCES),
    digits(4),
    fc.integer({ min: 1920, max: 2023 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    digits(3),
    pick('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', 'x'),
    fc.boolean(),
  )
  .chain(([province, region, y, m, d, seq, check, old]) => {
    const plain = old ? `${province}${region}${String(y).slice(2)}${pad(m)}${pad(d)}${seq}` : `${province}${region}${y}${pad(m)}${pad(d)}${seq}${check}`;
    // an old ID starts with its whole region code (6 digits) when split
    const split = old ? fc.tuple(grouped(plain.slice(6), 2), sep).map(([g, s]) => ({ text: plain.slice(0, 6) + s + g.text, groups: g.groups + 1 })) : grouped(plain, 5);
    return fc.oneof(fc.constant({ text: plain, groups: 1 }), split).chain(({ text, groups }) =>
      widths(text).map((written): Secret => ({
        kind: 'id',
        sealed: plain.toUpperCase(),
        written,
        expected: maskIdCard(plain),
        glueBefore: !old && groups === 1,
        glueAfter: !old && groups === 1,
      })),
    );
  });

const secret = fc.oneof(mobile, landline, idCard);

// ---- what surrounds it ----

/** Chinese and ASCII words and punctuation, none of them a digit or a separator */
const word = pick('新号码', '身份证', '电话', '请回电', '王阿姨', '血压偏高', '家属', '复诊', 'Tel', 'ID', 'note', 'abc', '：', ':', '，', ',', '。', '、', '；', '!', '?', '#', '“', '”', '"', '【', '】');
/** ordinary numbers: amounts, dates, times, order and local numbers */
const ordinary = pick('2024-08-05', '2024/5/9', '2024.08.05', '2024年5月9日', '1,280', '¥3,980.00', '3980', '10:30', '#12345678', 'SO-2024-0701', '88881234', '第2次', '95%', '12', '0.5', '1280 1380 1580');
/** an ordinary number that starts and ends with a digit, to touch a sealed one */
const touching = pick('2024-08-05', '2024.08.05', '1,280', '3980', '10:30', '88881234', '12', '0.5', '1280 1380');
/** a character that ends a run of digits: neither a digit nor a separator */
const clean = pick('新', '号', '：', '，', '。', '、', 'a', 'Z', '!', '"', '“', '；', '#', '\n');
/** a sentence of words and ordinary numbers; an ordinary number is always followed by a clean character */
const sentence = fc.array(fc.oneof(word, fc.tuple(ordinary, clean).map(([n, c]) => n + c), pick(' ', '，')), { maxLength: 6 }).map((parts) => parts.join(''));

type Join = { how: 'clean' } | { how: 'separator'; number: string; sep: string } | { how: 'glued'; number: string };
const join: fc.Arbitrary<Join> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ how: 'clean' as const }) },
  { weight: 2, arbitrary: fc.tuple(touching, fc.oneof(sep, pick('(', ')', '）', '（', ') ', ' ('))).map(([number, s]) => ({ how: 'separator' as const, number, sep: s })) },
  { weight: 1, arbitrary: touching.map((number) => ({ how: 'glued' as const, number })) },
);

/** the text before a sealed number, ending as `j` says (glued only where the number allows it) */
function before(text: string, edge: string, j: Join, sec: Secret): string {
  if (j.how === 'clean') return text + edge;
  const gap = j.how === 'glued' && sec.glueBefore ? '' : j.how === 'separator' ? j.sep : ' ';
  return text + edge + j.number + gap;
}
function after(text: string, edge: string, j: Join, sec: Secret): string {
  if (j.how === 'clean') return edge + text;
  const gap = j.how === 'glued' && sec.glueAfter ? '' : j.how === 'separator' ? j.sep : ' ';
  return gap + j.number + edge + text;
}

const fold = (s: string) => s.replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/x/g, 'X');
/** what a reader sees of the digits: separators, brackets and plus signs dropped, any other character a break (`|`) */
const visible = (s: string) => fold(s).replace(/[\s\u3000\-\u2010-\u2015\u2212\uFF0D.\uFF0E\u00B7\u30FB/\uFF0F()\uFF08\uFF09+\uFF0B]/g, '').replace(/[^0-9X*]/g, '|');
const windows = (sealed: string) => Array.from({ length: sealed.length - 6 }, (_, k) => sealed.slice(k, k + 7));

/**
 * No 7 characters in a row of the sealed number show, whatever stands between them — ignoring
 * those the surrounding text has of itself, and those its masked form's kept digits (first 3,
 * last 4) make with the digits of the text beside it (`029****2985(2024-…` shows `2985202`,
 * none of it hidden).
 */
function expectSealed(out: string, sec: Secret, ...context: string[]): void {
  const seen = visible(out);
  // the masked form as it must read (the generator's, not the code under test's)
  const alone = visible(sec.expected);
  const own = context.flatMap((c) => [visible(c), visible(c) + alone, alone + visible(c)]);
  for (const w of windows(sec.sealed)) {
    if (own.some((c) => c.includes(w))) continue;
    expect(seen, `${JSON.stringify(sec.written)} leaks ${w} in ${JSON.stringify(out)}`).not.toContain(w);
  }
}

describe('maskFreeText properties (fast-check)', () => {
  it('a sealed number in any format, anywhere, next to text, punctuation or other numbers: no 7 of its digits in a row remain', () => {
    fc.assert(
      fc.property(secret, sentence, clean, join, sentence, clean, join, (sec, preText, preEdge, preJoin, postText, postEdge, postJoin) => {
        const pre = before(preText, preEdge, preJoin, sec);
        const post = after(postText, postEdge, postJoin, sec);
        const out = maskFreeText(pre + sec.written + post);
        expectSealed(out, sec, pre, post);
        // ended by text or punctuation on both sides: exactly the masked form, the rest as it was
        if (preJoin.how === 'clean' && postJoin.how === 'clean') expect(out).toBe(pre + sec.expected + post);
      }),
      { numRuns: 5000 },
    );
  });

  it('several sealed numbers in one note: none leaves unmasked', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sentence, clean, join, secret), { minLength: 1, maxLength: 4 }), sentence, (parts, tail) => {
        let note = '';
        // the note as it should read, every number masked: digits that line up there across
        // neighbours (`1,280 （+86）198****…` reads 28086198) are not a leak of masking
        let ideal = '';
        for (const [text, edge, j, sec] of parts) {
          const lead = before(text, edge, j, sec);
          note += lead + sec.written + '，';
          ideal += lead + sec.expected + '，';
        }
        note += tail;
        ideal += tail;
        const out = maskFreeText(note);
        for (const [, , , sec] of parts) expectSealed(out, sec, ideal);
      }),
      { numRuns: 2000 },
    );
  });

  it('text without a sealed number (words, punctuation, amounts, dates, times, order numbers) is returned unchanged', () => {
    fc.assert(
      fc.property(sentence, (note) => {
        expect(maskFreeText(note)).toBe(note);
      }),
      { numRuns: 3000 },
    );
  });

  it('masking is idempotent', () => {
    fc.assert(
      fc.property(sentence, secret, join, sentence, (a, s, j, b) => {
        const once = maskFreeText(before(a, '：', j, s) + s.written + '。' + b);
        expect(maskFreeText(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
