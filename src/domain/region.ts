/**
 * GB/T 2260 region codes (省/市/县) from the `china-area-data` package (~3,400 counties,
 * 116 KB): resolving a code or place name, inferring a district from an address, and the
 * nearness tiers of SPEC §3.1. Codes are 6-digit strings: XX0000 province, XXYY00 city,
 * anything else a county.
 */
import { createRequire } from 'node:module';

type AreaData = Record<string, Record<string, string>>;

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  /** Full name from the province down, e.g. 浙江省金华市浦江县 */
  fullName: string;
}

export type Resolution =
  | { ok: true; region: Region }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'ambiguous'; candidates: Region[] };

interface Index {
  byCode: Map<string, Region>;
  provinces: Map<string, string>; // name or short name → code
  citiesIn: Map<string, Map<string, string>>; // province code → (name → city code)
  countiesIn: Map<string, Map<string, string>>; // province or city code → (name → county code)
  citiesByName: Map<string, string[]>;
  countiesByName: Map<string, string[]>;
  names: string[]; // distinct name lengths to try, longest first
  maxLen: number;
}

let index: Index | undefined;

export function levelOf(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

// 浙江省 → 浙江, 广西壮族自治区 → 广西, 杭州市 → 杭州, 浦江县 → 浦江 (only when 2+ chars remain)
function shortName(name: string): string | null {
  const m = /^(.{2,}?)(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|地区|盟|县|区|自治县|自治州)$/.exec(name);
  return m ? m[1] : null;
}

function push(map: Map<string, string[]>, key: string, code: string): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(code)) list.push(code);
  } else map.set(key, [code]);
}

function build(): Index {
  const require = createRequire(import.meta.url);
  const data = require('china-area-data/data.json') as AreaData;
  const byCode = new Map<string, Region>();
  const provinces = new Map<string, string>();
  const citiesIn = new Map<string, Map<string, string>>();
  const countiesIn = new Map<string, Map<string, string>>();
  const citiesByName = new Map<string, string[]>();
  const countiesByName = new Map<string, string[]>();
  let maxLen = 0;
  const note = (n: string) => {
    if (n.length > maxLen) maxLen = n.length;
  };
  for (const [pCode, pName] of Object.entries(data['86'])) {
    byCode.set(pCode, { code: pCode, name: pName, level: 'province', fullName: pName });
    provinces.set(pName, pCode);
    const ps = shortName(pName);
    if (ps) provinces.set(ps, pCode);
    note(pName);
    const cities = new Map<string, string>();
    const pCounties = new Map<string, string>();
    citiesIn.set(pCode, cities);
    countiesIn.set(pCode, pCounties);
    for (const [cCode, cName] of Object.entries(data[pCode] ?? {})) {
      const isReal = cName !== '市辖区' && cName !== '县' && cName !== '省直辖县级行政区划';
      const cFull = isReal ? pName + cName : pName;
      byCode.set(cCode, { code: cCode, name: isReal ? cName : pName, level: levelOf(cCode), fullName: cFull });
      if (isReal) {
        cities.set(cName, cCode);
        const cs = shortName(cName);
        if (cs) cities.set(cs, cCode);
        push(citiesByName, cName, cCode);
        if (cs) push(citiesByName, cs, cCode);
        note(cName);
      }
      const counties = new Map<string, string>();
      countiesIn.set(cCode, counties);
      for (const [kCode, kName] of Object.entries(data[cCode] ?? {})) {
        // the package lists the towns (9-digit codes) of cities without counties (东莞, 中山, 儋州):
        // they are not GB/T 2260 districts
        if (kName === '市辖区' || kCode.length !== 6) continue;
        byCode.set(kCode, { code: kCode, name: kName, level: levelOf(kCode), fullName: cFull + kName });
        counties.set(kName, kCode);
        if (!pCounties.has(kName)) pCounties.set(kName, kCode);
        push(countiesByName, kName, kCode);
        note(kName);
      }
    }
  }
  return { byCode, provinces, citiesIn, countiesIn, citiesByName, countiesByName, names: [], maxLen };
}

function idx(): Index {
  return (index ??= build());
}

export function regionByCode(code: string): Region | undefined {
  return idx().byCode.get(code);
}

// A short name (浙江, 南京: not the full name of its place) followed by one of these is a street (南京路, 中山路,
// 解放街, 朝阳街道), not a place — `江苏省南京路12号` is somewhere in Jiangsu, not in 南京市 —
// unless a place inside it follows (唐山路南区, 哈尔滨道里区).
const STREET = /[路街巷弄道]/;

function isStreet(text: string, pos: number, name: string, codes: readonly string[]): boolean {
  const at = pos + name.length;
  if (!STREET.test(text.charAt(at))) return false;
  const ix = idx();
  if (codes.some((c) => ix.byCode.get(c)?.name === name)) return false;
  for (const code of codes) {
    for (const children of [ix.citiesIn.get(code), ix.countiesIn.get(code)]) {
      if (!children) continue;
      for (let len = Math.min(ix.maxLen, text.length - at); len >= 2; len--) if (children.has(text.substr(at, len))) return false;
    }
  }
  return true;
}

/** Longest name in `map` that `text` starts with at `pos`. */
function matchAt(text: string, pos: number, map: Map<string, string>, maxLen: number): [string, number] | null {
  const limit = Math.min(maxLen, text.length - pos);
  for (let len = limit; len >= 2; len--) {
    const name = text.substr(pos, len);
    const code = map.get(name);
    if (code && !isStreet(text, pos, name, [code])) return [code, len];
  }
  return null;
}

function matchGlobalAt(text: string, pos: number, map: Map<string, string[]>, maxLen: number): [string[], number] | null {
  const limit = Math.min(maxLen, text.length - pos);
  for (let len = limit; len >= 2; len--) {
    const name = text.substr(pos, len);
    const codes = map.get(name);
    if (codes && !isStreet(text, pos, name, codes)) return [codes, len];
  }
  return null;
}

/**
 * Reads a province → city → county prefix off `text`. Returns the deepest code found, how
 * many characters it consumed, and the candidates when the prefix is ambiguous.
 */
function readPrefix(text: string): { codes: string[]; consumed: number } {
  const ix = idx();
  const s = text;
  const none = { codes: [] as string[], consumed: 0 };
  // 1. from the province down
  let viaProvince = none;
  const p = matchAt(s, 0, ix.provinces, ix.maxLen);
  if (p) {
    let code = p[0];
    let pos = p[1];
    const c = matchAt(s, pos, ix.citiesIn.get(code)!, ix.maxLen);
    if (c) {
      code = c[0];
      pos += c[1];
      const k = matchAt(s, pos, ix.countiesIn.get(code) ?? new Map(), ix.maxLen);
      viaProvince = k ? { codes: [k[0]], consumed: pos + k[1] } : { codes: [code], consumed: pos };
    } else {
      // municipalities (北京市东城区) have no named city level: counties of the province
      const k = matchAt(s, pos, ix.countiesIn.get(code)!, ix.maxLen);
      viaProvince = k ? { codes: [k[0]], consumed: pos + k[1] } : { codes: [code], consumed: pos };
    }
    if (levelOf(viaProvince.codes[0]) === 'county') return viaProvince;
  }
  // 2. from a city: a city may start with its province's short name (吉林市 in 吉林省,
  // 海南藏族自治州 vs 海南省), so the longer reading wins
  let viaCity = none;
  const c = matchGlobalAt(s, 0, ix.citiesByName, ix.maxLen);
  if (c) {
    if (c[0].length > 1) viaCity = { codes: c[0], consumed: c[1] };
    else {
      const cityCode = c[0][0];
      const k = matchAt(s, c[1], ix.countiesIn.get(cityCode) ?? new Map(), ix.maxLen);
      viaCity = k ? { codes: [k[0]], consumed: c[1] + k[1] } : { codes: [cityCode], consumed: c[1] };
    }
  }
  let best = viaCity.consumed > viaProvince.consumed ? viaCity : viaProvince;
  if (best.codes.length === 1 && levelOf(best.codes[0]) === 'county') return best;
  // 3. a county alone; it may start with a city's short name (朝阳区 vs 朝阳市, 通化县 vs 通化市)
  const k = matchGlobalAt(s, 0, ix.countiesByName, ix.maxLen);
  if (k && k[1] > best.consumed) best = { codes: k[0], consumed: k[1] };
  return best;
}

/**
 * A district as written in a roster or survey: a 6-digit code, or a place name such as
 * `浦江县`, `金华市浦江县`, `浙江省金华市浦江县`, `杭州`. The whole text must name one place.
 */
export function resolveRegion(raw: string): Resolution {
  const s = raw.replace(/\s+/g, '');
  if (s === '') return { ok: false, reason: 'unknown' };
  if (/^\d{6}$/.test(s)) {
    const r = regionByCode(s);
    return r ? { ok: true, region: r } : { ok: false, reason: 'unknown' };
  }
  let { codes, consumed } = readPrefix(s);
  if (codes.length === 0 || consumed !== s.length) {
    // a county written alone whose first characters also name a city (朝阳区 vs 朝阳市)
    const exact = idx().countiesByName.get(s);
    if (!exact) return { ok: false, reason: 'unknown' };
    codes = exact;
  }
  if (codes.length > 1) {
    return { ok: false, reason: 'ambiguous', candidates: codes.map((c) => regionByCode(c)!) };
  }
  return { ok: true, region: regionByCode(codes[0])! };
}

/** The district an address starts with (the deepest unambiguous level), or null. */
export function inferRegionFromAddress(address: string): string | null {
  const s = address.replace(/\s+/g, '');
  if (s.length < 2) return null;
  const { codes } = readPrefix(s);
  return codes.length === 1 ? codes[0] : null;
}

export type Nearness = 0 | 1 | 2 | 3; // 0 same county, 1 same city, 2 same province, 3 anywhere

/**
 * SPEC §3.1 rule 2: same county (6-digit code, or in the rep's areas) > same city (first 4
 * digits) > same province (first 2) > anywhere. An area given as a city or province code
 * covers every county in it. A customer whose district is unknown is "anywhere".
 */
export function nearness(customer: string | null, repDistrict: string | null, repAreas: readonly string[]): Nearness {
  if (!customer) return 3;
  const cLevel = levelOf(customer);
  for (const area of repAreas) {
    if (covers(area, customer)) return 0;
  }
  let best: Nearness = 3;
  const places = repDistrict ? [repDistrict, ...repAreas] : repAreas;
  for (const place of places) {
    const pLevel = levelOf(place);
    if (cLevel === 'county' && pLevel === 'county' && place === customer) return 0;
    if (cLevel !== 'province' && pLevel !== 'province' && place.slice(0, 4) === customer.slice(0, 4)) best = Math.min(best, 1) as Nearness;
    else if (place.slice(0, 2) === customer.slice(0, 2)) best = Math.min(best, 2) as Nearness;
  }
  return best;
}

function covers(area: string, code: string): boolean {
  const level = levelOf(area);
  if (level === 'county') return area === code;
  if (level === 'city') return levelOf(code) === 'county' && code.slice(0, 4) === area.slice(0, 4);
  return false; // a whole province as an "area" is only the province tier
}
