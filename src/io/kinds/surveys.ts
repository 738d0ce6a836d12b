/**
 * surveys.csv — 中老年健康调查表 (SPEC §2). This parser runs a million times per big import:
 * it returns a flat tuple, caches district look-ups, and allocates only for errors.
 */
import type { ImportKind, FieldError, ParseResult } from '../kind.js';
import { parseDate, parseGender, normalizePhone } from '../../domain/values.js';
import { resolveRegion, inferRegionFromAddress } from '../../domain/region.js';
import { regionError } from './regionError.js';
import { staffRef, type Roster } from './staffRef.js';
import { personName } from '../../domain/normalise.js';

/** [survey_no, name, gender, birth_year, phone, address, district, health, collector_id, collected_on] */
export type SurveyRow = [string | null, string, 'M' | 'F' | null, number | null, string, string | null, string | null, string | null, string, string];

export type { Roster } from './staffRef.js';

const districtCache = new Map<string, FieldError | string>();

function district(raw: string): FieldError | string {
  let v = districtCache.get(raw);
  if (v === undefined) {
    const r = resolveRegion(raw);
    v = r.ok ? r.region.code : regionError('district', raw, r);
    districtCache.set(raw, v);
  }
  return v;
}

export const kind: ImportKind<SurveyRow> = {
  name: 'surveys',
  columns: [
    { key: 'survey_no', aliases: ['问卷编号', '编号', '调查表编号'] },
    { key: 'name', aliases: ['姓名', '顾客姓名'], required: true },
    { key: 'gender', aliases: ['性别'] },
    { key: 'birth_year', aliases: ['出生年份', '出生年'] },
    { key: 'age', aliases: ['年龄'] },
    { key: 'phone', aliases: ['电话', '手机', '联系电话', '手机号', '电话号码', 'mobile'], required: true },
    { key: 'address', aliases: ['地址', '住址', '家庭住址'] },
    { key: 'district', aliases: ['地区', '区县', 'district_code', '所在地区'] },
    { key: 'health', aliases: ['健康状况', '健康情况'], maxLength: 20_000 },
    { key: 'collector', aliases: ['收集人', '满意代表', '滿意代表', '签名', '收集人签名'], required: true },
    { key: 'collected_on', aliases: ['收集日期', '填表日期', '日期'], required: true },
  ],
  parseRow(cells, ctx): ParseResult<SurveyRow> {
    let errors: FieldError[] | null = null;
    const fail = (e: FieldError) => {
      (errors ??= []).push(e);
    };
    const name = personName(cells('name'));
    if (!name) fail({ column: 'name', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const phoneRaw = cells('phone');
    const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
    if (!phone) fail({ column: 'phone', value: phoneRaw, reason: phoneRaw ? 'survey.bad_phone' : 'import.required', fix: 'survey.bad_phone.fix' });
    const collectedRaw = cells('collected_on');
    const collected = collectedRaw ? parseDate(collectedRaw) : null;
    if (!collected) fail({ column: 'collected_on', value: collectedRaw, reason: collectedRaw ? 'import.bad_date' : 'import.required', fix: 'import.bad_date.fix' });
    else if (collected > ctx.asOf) fail({ column: 'collected_on', value: collectedRaw, reason: 'survey.future_date', params: { as_of: ctx.asOf }, fix: 'survey.future_date.fix' });
    const collectorRaw = cells('collector');
    let collector: string | undefined;
    if (!collectorRaw) fail({ column: 'collector', value: '', reason: 'import.required', fix: 'survey.unknown_collector.fix' });
    else {
      const r = staffRef(ctx.data as Roster | undefined, collectorRaw, 'collector');
      if (typeof r === 'string') collector = r;
      else fail(r);
    }
    const genderRaw = cells('gender');
    const gender = genderRaw ? parseGender(genderRaw) : null;
    if (genderRaw && !gender) fail({ column: 'gender', value: genderRaw, reason: 'survey.bad_gender', fix: 'survey.bad_gender.fix' });
    let birthYear: number | null = null;
    const byRaw = cells('birth_year');
    const ageRaw = cells('age');
    if (byRaw) {
      birthYear = /^\d{4}$/.test(byRaw) ? Number(byRaw) : NaN;
      if (!(birthYear >= 1900) || (collected && birthYear > Number(collected.slice(0, 4)))) {
        fail({ column: 'birth_year', value: byRaw, reason: 'survey.bad_birth_year', fix: 'survey.bad_birth_year.fix' });
      }
    } else if (ageRaw) {
      const age = /^\d{1,3}$/.test(ageRaw.replace(/岁$/, '')) ? Number(ageRaw.replace(/岁$/, '')) : NaN;
      if (!(age >= 0 && age <= 130)) fail({ column: 'age', value: ageRaw, reason: 'survey.bad_age', fix: 'survey.bad_age.fix' });
      // §2: age converts to birth year at collected_on
      else if (collected) birthYear = Number(collected.slice(0, 4)) - age;
    }
    const address = cells('address') || null;
    let districtCode: string | null = null;
    const dRaw = cells('district');
    if (dRaw) {
      const d = district(dRaw);
      if (typeof d === 'string') districtCode = d;
      else {
        // an ambiguous name (朝阳区) is settled by the address when it names one of the candidates
        const fromAddress = address ? inferRegionFromAddress(address) : null;
        if (d.reason === 'region.ambiguous' && fromAddress && String(d.params?.candidates).includes(`(${fromAddress})`)) districtCode = fromAddress;
        else fail(d);
      }
    } else if (address) {
      districtCode = inferRegionFromAddress(address);
    }
    if (errors) return { ok: false, errors };
    return {
      ok: true,
      value: [cells('survey_no') || null, name, gender, birthYear, phone!, address, districtCode, cells('health') || null, collector!, collected!],
    };
  },
};
