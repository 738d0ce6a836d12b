/**
 * surveys.csv — 中老年健康调查表 (SPEC §2). This parser runs a million times per big import:
 * it returns a flat tuple, caches district look-ups, and allocates only for errors and notices.
 */
import type { ImportKind, FieldError, ParseResult, RowNotice } from '../kind.js';
import { isExcelScientific, parseDate, parseGender, normalizePhone } from '../../domain/values.js';
import { noteDate, phoneError, scientificError, PHONE_ALIASES } from './cells.js';
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

/** A birth year: `1956`, or the year of `1956年`, `1956年3月`, `1956-03`, `1956.3`, `1956/3/5` (出生年月, 出生日期). */
const BIRTH = /^\d{4}\s*(?:年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]?)?)?|[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2})?)?$/;

export const kind: ImportKind<SurveyRow> = {
  name: 'surveys',
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    { key: 'survey_no', aliases: ['问卷编号', '编号', '调查表编号', '问卷号', '调查表号', '调查编号', '普查编号'] },
    { key: 'name', aliases: ['姓名', '顾客姓名', '客户姓名', '名字', '顾客名字'], required: true },
    { key: 'gender', aliases: ['性别', 'sex'] },
    { key: 'birth_year', aliases: ['出生年份', '出生年', '出生年月', '出生日期'] },
    { key: 'age', aliases: ['年龄', '周岁', '岁数'] },
    { key: 'phone', aliases: PHONE_ALIASES, required: true },
    { key: 'address', aliases: ['地址', '住址', '家庭住址', '联系地址', '居住地址', '详细地址', '现住址', '家庭地址'] },
    { key: 'district', aliases: ['地区', '区县', 'district_code', '所在地区', '所在区县', '县区', '区/县'] },
    { key: 'health', aliases: ['健康状况', '健康情况', '身体状况', '病史'], maxLength: 20_000 },
    { key: 'collector', aliases: ['收集人', '满意代表', '滿意代表', '签名', '收集人签名', '采集人', '调查人', '调查员', '采集员', '收集员', '登记人'], required: true },
    { key: 'collected_on', aliases: ['收集日期', '填表日期', '日期', '调查日期', '采集日期', '登记日期', '填写日期', '收集时间', '调查时间'], required: true },
  ],
  parseRow(cells, ctx): ParseResult<SurveyRow> {
    // the 1M-row path: no array unless there is an error or a notice
    let errors: FieldError[] | null = null;
    let notices: RowNotice[] | undefined;
    const fail = (e: FieldError) => {
      (errors ??= []).push(e);
    };
    const surveyNo = cells('survey_no');
    if (isExcelScientific(surveyNo)) fail(scientificError('survey_no', surveyNo));
    const name = personName(cells('name'));
    if (!name) fail({ column: 'name', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const phoneRaw = cells('phone');
    const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
    if (!phone) fail(phoneError('phone', phoneRaw));
    const collectedRaw = cells('collected_on');
    // a date without a year: the latest such day up to --as-of (a survey is never ahead)
    const collected = collectedRaw ? parseDate(collectedRaw, ctx.asOf, 'past') : null;
    if (!collected) fail({ column: 'collected_on', value: collectedRaw, reason: collectedRaw ? 'import.bad_date' : 'import.required', fix: 'import.bad_date.fix' });
    else if (collected > ctx.asOf) fail({ column: 'collected_on', value: collectedRaw, reason: 'survey.future_date', params: { as_of: ctx.asOf }, fix: 'survey.future_date.fix' });
    else notices = noteDate(notices, collectedRaw, 'collected_on', collected);
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
      // `1956`, or the year of `1956年`, `1956-03`, `1956年3月`, `1956/3/5` (出生年月, 出生日期)
      birthYear = BIRTH.test(byRaw) ? Number(byRaw.slice(0, 4)) : NaN;
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
      value: [surveyNo || null, name, gender, birthYear, phone!, address, districtCode, cells('health') || null, collector!, collected!],
      notices,
    };
  },
};
