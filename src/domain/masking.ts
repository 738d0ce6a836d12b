/**
 * §5 档案封存: listings mask phone numbers (`138****5678`) and addresses beyond the
 * district, and omit health notes.
 */
import { maskPhone } from './values.js';
import { regionByCode } from './region.js';

export interface Maskable {
  phone: string;
  address: string | null;
  district: string | null;
  health?: string | null;
}

/** The address up to its district (the district's full name when the address starts with it), then `****`. */
export function maskAddress(address: string | null, district: string | null): string | null {
  if (!address) return null;
  const region = district ? regionByCode(district) : undefined;
  if (!region) return '****';
  const compact = address.replace(/\s+/g, '');
  for (const prefix of [region.fullName, region.fullName.replace(/^.+?(省|自治区)/, ''), region.name]) {
    if (prefix && compact.startsWith(prefix)) return prefix + '****';
  }
  return region.fullName + '****';
}

export function maskCustomer<T extends Maskable>(c: T): Omit<T, 'health'> {
  const { health: _omit, ...rest } = c;
  return { ...rest, phone: maskPhone(c.phone), address: maskAddress(c.address, c.district) };
}
