/** §5 档案封存: listings mask phones and addresses beyond the district, and omit health notes. */
import { describe, expect, it } from 'vitest';
import { maskAddress, maskCustomer } from '../../src/domain/masking.js';

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
