/** GB/T 2260 districts (SPEC §2 district, §3.1 nearness): codes, names, addresses, tiers. */
import { describe, expect, it } from 'vitest';
import { inferRegionFromAddress, levelOf, nearness, regionByCode, resolveRegion, type Nearness, type Resolution } from '../../src/domain/region.js';

/** `330726 county 浙江省金华市浦江县`, `ambiguous 110105 220104`, or `unknown` */
function show(r: Resolution): string {
  if (r.ok) return `${r.region.code} ${r.region.level} ${r.region.fullName}`;
  if (r.reason === 'ambiguous') return `ambiguous ${r.candidates.map((c) => c.code).join(' ')}`;
  return 'unknown';
}

describe('levelOf: XX0000 province, XXYY00 city, else county', () => {
  it.each<[string, string]>([
    ['330000', 'province'],
    ['330700', 'city'],
    ['330726', 'county'],
    ['110105', 'county'],
  ])('%s is a %s', (code, level) => {
    expect(levelOf(code)).toBe(level);
  });
});

describe('resolveRegion: a 6-digit code', () => {
  it.each<[string, string, string]>([
    ['a county', '330726', '330726 county 浙江省金华市浦江县'],
    ['a county-level city', '330782', '330782 county 浙江省金华市义乌市'],
    ['a city', '330700', '330700 city 浙江省金华市'],
    ['a province', '330000', '330000 province 浙江省'],
    ['a municipality', '110000', '110000 province 北京市'],
    ['a district of a municipality', '110105', '110105 county 北京市朝阳区'],
    ['a county directly under a province (仙桃)', '429004', '429004 county 湖北省仙桃市'],
    ['a city without counties (东莞)', '441900', '441900 city 广东省东莞市'],
    ['unknown', '999999', 'unknown'],
    ['a placeholder 市辖区 code', '330701', 'unknown'],
    ['five digits is no code (and no name)', '33072', 'unknown'],
    ['a 9-digit town code of 东莞 is no district', '441900003', 'unknown'],
    ['spaces inside are ignored', ' 330 726 ', '330726 county 浙江省金华市浦江县'],
  ])('%s: %j → %s', (_rule, raw, expected) => {
    expect(show(resolveRegion(raw))).toBe(expected);
  });

  it('a region carries its own name and its full name from the province down', () => {
    expect(regionByCode('330726')).toEqual({ code: '330726', name: '浦江县', level: 'county', fullName: '浙江省金华市浦江县' });
    expect(regionByCode('999999')).toBeUndefined();
  });
});

describe('resolveRegion: a place name (the whole text must name one place)', () => {
  it.each<[string, string, string]>([
    ['a county alone', '浦江县', '330726 county 浙江省金华市浦江县'],
    ['city + county', '金华市浦江县', '330726 county 浙江省金华市浦江县'],
    ['province + city + county', '浙江省金华市浦江县', '330726 county 浙江省金华市浦江县'],
    ['spaces between the levels', '浙江省 金华市 浦江县', '330726 county 浙江省金华市浦江县'],
    ['a city by its short name', '杭州', '330100 city 浙江省杭州市'],
    ['a city by its full name', '杭州市', '330100 city 浙江省杭州市'],
    ['city + district', '杭州市西湖区', '330106 county 浙江省杭州市西湖区'],
    ['short city + district', '杭州西湖区', '330106 county 浙江省杭州市西湖区'],
    ['a province', '浙江省', '330000 province 浙江省'],
    ['a province by its short name', '浙江', '330000 province 浙江省'],
    ['an autonomous region by its short name', '新疆', '650000 province 新疆维吾尔自治区'],
    ['a municipality district', '北京市东城区', '110101 county 北京市东城区'],
    ['a municipality district, short', '北京东城区', '110101 county 北京市东城区'],
    ['a municipality district alone, unique', '东城区', '110101 county 北京市东城区'],
    ['a municipality', '重庆市', '500000 province 重庆市'],
    ['a county-level city under its province', '浙江省义乌市', '330782 county 浙江省金华市义乌市'],
    ['a county-level city alone', '义乌市', '330782 county 浙江省金华市义乌市'],
    ['a county directly under a province', '湖北省仙桃市', '429004 county 湖北省仙桃市'],
    ['北京市朝阳区 settles 朝阳区', '北京市朝阳区', '110105 county 北京市朝阳区'],
    ['朝阳市 is the city in Liaoning', '朝阳市', '211300 city 辽宁省朝阳市'],
    ['吉林市 is the city, not the province 吉林', '吉林市', '220200 city 吉林省吉林市'],
    ['吉林省吉林市', '吉林省吉林市', '220200 city 吉林省吉林市'],
    ['吉林 alone is the province', '吉林', '220000 province 吉林省'],
    ['通化县 is the county, not the city 通化', '通化县', '220521 county 吉林省通化市通化县'],
  ])('%s: %j → %s', (_rule, raw, expected) => {
    expect(show(resolveRegion(raw))).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['朝阳区: Beijing and Changchun', '朝阳区', 'ambiguous 110105 220104'],
    ['西湖区: Hangzhou and Nanchang', '西湖区', 'ambiguous 330106 360103'],
  ])('ambiguous, with every candidate: %s', (_rule, raw, expected) => {
    const r = resolveRegion(raw);
    expect(show(r)).toBe(expected);
    if (!r.ok && r.reason === 'ambiguous') {
      expect(r.candidates.map((c) => c.fullName)).toContain(raw === '朝阳区' ? '北京市朝阳区' : '浙江省杭州市西湖区');
    }
  });

  it.each<[string, string]>([
    ['empty', ''],
    ['blank', '   '],
    ['a made-up place', '火星县'],
    ['a trailing street', '浙江省杭州市西湖区文三路'],
    ['the placeholder 市辖区', '市辖区'],
    ['a county under the wrong city', '杭州市浦江县'],
    ['the same city twice', '北京市北京市'],
  ])('unknown: %s (%j)', (_rule, raw) => {
    expect(show(resolveRegion(raw))).toBe('unknown');
  });
});

describe('inferRegionFromAddress: the deepest unambiguous district an address starts with', () => {
  it.each<[string, string, string | null]>([
    ['a full address', '浙江省金华市浦江县浦阳街道江滨路1号', '330726'],
    ['from the city', '金华市浦江县浦阳街道', '330726'],
    ['from the county', '浦江县浦阳街道', '330726'],
    ['short city + district', '杭州西湖区文三路100号', '330106'],
    ['a municipality district', '北京市朝阳区建国路1号', '110105'],
    ['a municipality district without 市', '北京东城区东直门', '110101'],
    ['a municipality new area', '上海市浦东新区世纪大道1号', '310115'],
    ['a Chongqing district', '重庆市渝中区解放碑', '500103'],
    ['a county-level city under its province', '浙江省义乌市稠城街道', '330782'],
    ['a county-level city directly under a province', '湖北省仙桃市沙嘴街道', '429004'],
    ['an autonomous region and its capital', '新疆维吾尔自治区乌鲁木齐市天山区', '650102'],
    ['Inner Mongolia by its short name', '内蒙古呼和浩特市新城区', '150102'],
    ['a truncated prefix: only the municipality', '上海市光明路100弄', '310000'],
    ['a truncated prefix without 市', '上海光明路', '310000'],
    ['a truncated prefix: only the province', '浙江省人民路1号', '330000'],
    ['a province and city, no county', '浙江省杭州市文三路', '330100'],
    ['a province and short city', '浙江省杭州', '330100'],
    ['吉林市 and one of its districts', '吉林市船营区北京路1号', '220204'],
    ['东莞 has no counties: the city (its towns are not districts)', '广东省东莞市东城街道', '441900'],
    ['a district name that exists twice is not guessed', '朝阳区建国路', null],
    ['中山区 (Dalian and Taipei) is not guessed, and is not 中山市', '中山区人民路', null],
    ['大连市中山区', '大连市中山区人民路', '210202'],
    ['a road named after a city is not that city: 江苏省南京路', '江苏省南京路12弄3号', '320000'],
    ['a road named after a city is not that city: 广东省中山路', '广东省中山路1号', '440000'],
    ['a road named after a province is no place', '浙江路100号', null],
    ['a city with a district starting with 路 (唐山路南区)', '唐山路南区新华道1号', '130202'],
    ['a city with a district starting with 道 (哈尔滨道里区)', '哈尔滨道里区中央大街', '230102'],
    ['the city itself, then a street', '江苏省南京市中山路1号', '320100'],
    ['no place at all', '火星街道1号', null],
    ['empty', '', null],
    ['one character', '浙', null],
  ])('%s: %j → %s', (_rule, address, expected) => {
    expect(inferRegionFromAddress(address)).toBe(expected);
  });
});

describe('§3.1 nearness tiers: 0 same county > 1 same city > 2 same province > 3 anywhere', () => {
  it.each<[string, string | null, string | null, string[], Nearness]>([
    ['same county code', '330726', '330726', [], 0],
    ['the county is in the rep\'s areas', '330726', '330702', ['330726'], 0],
    ['one of several areas', '330726', '330102', ['330106', '330726'], 0],
    ['a city code in areas covers its counties', '330726', '330102', ['330700'], 0],
    ['a rep with no district, only areas', '330726', null, ['330726'], 0],
    ['same city (first 4 digits)', '330726', '330702', [], 1],
    ['same city through an area', '330726', '330102', ['330782'], 1],
    ['the rep\'s district is the city itself', '330726', '330700', [], 1],
    ['a customer known only to the city', '330700', '330726', [], 1],
    ['a city-level customer and a rep covering that city', '330700', '330102', ['330700'], 1],
    ['same province (first 2 digits)', '330726', '330102', [], 2],
    ['a province code as an area is only the province tier', '330726', '110101', ['330000'], 2],
    ['the rep\'s district is a province code', '330726', '330000', [], 2],
    ['a customer known only to the province', '330000', '330726', [], 2],
    ['different provinces', '330726', '110101', [], 3],
    ['a rep with no district and no areas', '330726', null, [], 3],
    ['the customer\'s district is unknown', null, '330726', ['330726'], 3],
    ['municipality districts share the city tier', '110105', '110101', [], 1],
  ])('%s: customer %s, rep %s, areas %j → tier %i', (_rule, customer, district, areas, tier) => {
    expect(nearness(customer, district, areas)).toBe(tier);
  });
});
