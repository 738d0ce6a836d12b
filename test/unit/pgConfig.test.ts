/**
 * issue 19: a server's address read as libpq reads it (psql's conventions: what the URI leaves
 * out from PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSSLMODE…), and shown with its
 * password as *** wherever it is said.
 */
import { describe, expect, it } from 'vitest';
import { pgConfig } from '../../src/store/pg/pgBridge.js';
import { isServerAddress, redactAddress } from '../../src/store/address.js';

describe('a postgres:// address', () => {
  it.each<[string, NodeJS.ProcessEnv, Partial<ReturnType<typeof pgConfig>>]>([
    ['postgres://wang:pw@db.office.lan:6543/sales', {}, { host: 'db.office.lan', port: 6543, database: 'sales', user: 'wang', password: 'pw' }],
    ['postgresql://wang@db/sales', { PGPASSWORD: 'env-pw', PGPORT: '5433' }, { host: 'db', port: 5433, user: 'wang', password: 'env-pw' }],
    ['postgres://', { PGHOST: 'h', PGUSER: 'u', PGDATABASE: 'd', PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/r.crt' }, { host: 'h', port: 5432, user: 'u', database: 'd', sslmode: 'verify-full', sslrootcert: '/r.crt' }],
    ['postgres://u@h/d?sslmode=require', { PGSSLMODE: 'disable' }, { sslmode: 'require' }],
    ['postgres://u@/d?host=/run/postgresql', {}, { host: '/run/postgresql', database: 'd' }],
    ['postgres://li%40office:p%2Fw@h/d', {}, { user: 'li@office', password: 'p/w' }],
    ['postgres://u@[::1]:5432/d', {}, { host: '::1' }],
    ['postgres://u@h', { PGPASSFILE: '/secrets/pgpass' }, { database: 'u', passfile: '/secrets/pgpass', password: undefined }],
  ])('%s', (address, env, expected) => {
    expect(pgConfig(address, env, 'Asia/Shanghai')).toMatchObject({ ...expected, timeZone: 'Asia/Shanghai' });
  });

  it.each([
    ['postgres://wang:s3cret@db/sales', 'postgres://wang:***@db/sales'],
    ['postgres://wang@db/sales?password=s3cret&sslmode=require', 'postgres://wang@db/sales?password=***&sslmode=require'],
    ['postgres://db/sales', 'postgres://db/sales'],
    ['./salesops.db', './salesops.db'],
    ['jdbc:postgresql://wang:s3cret@db/sales', 'jdbc:postgresql://wang:***@db/sales'],
    ['postgres:wang:s3cret@db/sales', 'postgres:wang:***@db/sales'],
    ['mysql:/wang:s3cret@db/sales', 'mysql:/wang:***@db/sales'],
    ['C:/data/salesops.db', 'C:/data/salesops.db'],
  ])('%s is shown as %s', (address, shown) => {
    expect(redactAddress(address)).toBe(shown);
  });

  it('is a server address only with postgres:// or postgresql://', () => {
    expect([isServerAddress('postgres://h/d'), isServerAddress('POSTGRESQL://h/d'), isServerAddress('mysql://h/d'), isServerAddress('postgres.db')]).toEqual([true, true, false, false]);
  });
});

it('an sslmode PostgreSQL does not know is refused (it was taken for require), from the address or PGSSLMODE', () => {
  expect(() => pgConfig('postgres://u@h/d?sslmode=bogus', {}, 'UTC')).toThrow('sslmode=bogus is not a mode PostgreSQL knows');
  expect(() => pgConfig('postgres://u@h/d', { PGSSLMODE: 'on' }, 'UTC')).toThrow('sslmode=on is not a mode PostgreSQL knows');
  for (const mode of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']) expect(pgConfig(`postgres://u@h/d?sslmode=${mode}`, {}, 'UTC').sslmode).toBe(mode);
});

it('an address that cannot be read is said so, its password never repeated', () => {
  expect(() => pgConfig('postgres://u:s3cret@h:notaport/d', {}, 'UTC')).toThrow(/is not a server address salesops can read/);
  expect(() => pgConfig('postgres://u:s3cret@h:notaport/d', {}, 'UTC')).not.toThrow(/s3cret/);
});
