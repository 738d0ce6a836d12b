/** `salesops customers list|show` — masked unless revealed with a GM's approval (§5). */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UserError, UsageError } from '../errors.js';
import { action } from './run.js';
import { withRevealFlags, authorizeReveal, type RevealFlags } from './reveal.js';
import type { Column } from '../io/render.js';
import type { CustomerRecord } from '../store/customers.js';
import type { DB } from '../store/db.js';

const LIST_COLUMNS: Column[] = [
  { key: 'customer_id', header: { zh: '编号', en: 'customer_id' }, kind: 'int' },
  { key: 'name', header: { zh: '姓名', en: 'name' } },
  { key: 'phone', header: { zh: '电话', en: 'phone' } },
  { key: 'gender', header: { zh: '性别', en: 'gender' } },
  { key: 'birth_year', header: { zh: '出生年', en: 'birth_year' }, kind: 'number' },
  { key: 'district', header: { zh: '地区代码', en: 'district' } },
  { key: 'address', header: { zh: '地址', en: 'address' } },
  { key: 'collector_id', header: { zh: '收集人', en: 'collector_id' } },
  { key: 'collected_on', header: { zh: '收集日期', en: 'collected_on' }, kind: 'date' },
  { key: 'owner_id', header: { zh: '跟进人', en: 'owner_id' } },
];

/** Resolves a customer argument: an id (`#12` or `12` when short), a phone, or phone+name. */
export async function resolveCustomer(db: DB, arg: string, name?: string): Promise<CustomerRecord> {
  const { findCustomers } = await import('../store/customers.js');
  const { normalizePhone } = await import('../domain/values.js');
  const phone = normalizePhone(arg);
  let found: CustomerRecord[];
  if (phone) found = findCustomers(db, { phone, name });
  else if (/^#?\d{1,9}$/.test(arg)) found = findCustomers(db, { id: Number(arg.replace('#', '')) });
  else throw new UserError(t('customers.bad_key', { value: arg }), t('customers.bad_key.hint'));
  if (found.length === 0) throw new UserError(t('customers.not_found', { value: arg }), t('customers.not_found.hint'));
  if (found.length > 1) {
    // §5: a phone or ID number typed into a name is masked here as in every listing
    const { maskFreeText } = await import('../domain/masking.js');
    throw new UserError(t('customers.ambiguous', { value: arg, n: found.length, names: found.map((c) => maskFreeText(c.name)).join(', ') }), t('customers.ambiguous.hint'));
  }
  return found[0];
}

export function registerCustomers(program: Command): void {
  const customers = program.command('customers').description(t('customers.description'));

  withRevealFlags(
    customers
      .command('list')
      .description(t('customers.list.description'))
      .option('--unassigned', t('customers.flag.unassigned'))
      .option('--district <code|name>', t('customers.flag.district'))
      .option('--collector <staff>', t('customers.flag.collector'))
      .option('--owner <staff>', t('customers.flag.owner'))
      .option('--limit <n>', t('customers.flag.limit')),
  ).action(
    action(async (ctx, f: RevealFlags & { unassigned?: boolean; district?: string; collector?: string; owner?: string; limit?: string }) => {
      const { openDb } = await import('../store/db.js');
      const { listCustomers } = await import('../store/customers.js');
      const { findStaff } = await import('../store/staff.js');
      const { resolveRegion } = await import('../domain/region.js');
      const { maskCustomer, maskFreeText } = await import('../domain/masking.js');
      const { render } = await import('../io/render.js');
      let district: string | undefined;
      if (f.district) {
        const r = resolveRegion(f.district);
        if (!r.ok) throw new UsageError(t(r.reason === 'ambiguous' ? 'region.ambiguous' : 'region.unknown', { candidates: r.reason === 'ambiguous' ? r.candidates.map((c) => `${c.fullName} (${c.code})`).join(', ') : '' }) + `: ${f.district}`, t('region.unknown.fix'));
        district = r.region.code;
      }
      const limit = f.limit ? Number(f.limit) : undefined;
      if (f.limit && !(Number.isInteger(limit) && limit! > 0)) throw new UsageError(t('cli.bad_limit', { value: f.limit }));
      const db = openDb(ctx.dbPath);
      try {
        const staffArg = (v?: string) => {
          if (!v) return undefined;
          const s = findStaff(db, v);
          if (!s) throw new UserError(t('staff.unknown', { id: v }), t('staff.unknown.hint'));
          return s.staff_id;
        };
        const filter = { unassigned: f.unassigned, district, collector: staffArg(f.collector), owner: staffArg(f.owner), limit };
        const subject = `customers list ${JSON.stringify(filter)}`;
        const revealed = await authorizeReveal(db, f, 'reveal', subject);
        // §5 "every export with personal data": the list as csv/tsv/json/jsonl is data leaving for a
        // file or a script, so it is logged like a masked `export customers` (a reveal was logged above)
        if (!revealed && ctx.format !== 'table') {
          const { appendAudit } = await import('../store/audit.js');
          appendAudit(db, { action: 'export', approved_by: null, reason: null, subject: `${subject} → stdout (masked)`, detail: ctx.io.argv.join(' ') });
          ctx.info('sealed.list.audited', { format: ctx.format });
        }
        const rows: Record<string, unknown>[] = [];
        // §5: free text (a name typed with a phone in it) is masked like the phone column
        for (const c of listCustomers(db, filter)) rows.push(revealed ? { ...c } : { ...maskCustomer(c), name: maskFreeText(c.name), pin_reason: maskFreeText(c.pin_reason), archive_reason: maskFreeText(c.archive_reason) });
        if (rows.length === 0) ctx.info('common.no_rows');
        ctx.out(render(rows, revealed ? [...LIST_COLUMNS, { key: 'health', header: { zh: '健康状况', en: 'health' } }] : LIST_COLUMNS, ctx));
      } finally {
        db.close();
      }
    }),
  );

  withRevealFlags(customers.command('show <customer>').description(t('customers.show.description')).option('--name <name>', t('customers.flag.name'))).action(
    action(async (ctx, key: string, f: RevealFlags & { name?: string }) => {
      const { openDb } = await import('../store/db.js');
      const { maskCustomer, maskFreeText } = await import('../domain/masking.js');
      const { regionByCode } = await import('../domain/region.js');
      const db = openDb(ctx.dbPath);
      try {
        const c = await resolveCustomer(db, key, f.name);
        const revealed = await authorizeReveal(db, f, 'reveal', `customer ${c.customer_id}`);
        // §5: masked unless revealed — health omitted, phone/ID numbers typed into free text masked
        const shown: Record<string, unknown> = revealed
          ? { ...c }
          : { ...maskCustomer(c), name: maskFreeText(c.name), pin_reason: maskFreeText(c.pin_reason), archive_reason: maskFreeText(c.archive_reason) };
        shown.district_name = c.district ? regionByCode(c.district)?.fullName ?? null : null;
        const { showCustomerDetail } = await import('./customerDetail.js');
        showCustomerDetail(ctx, db, shown, revealed);
      } finally {
        db.close();
      }
    }),
  );
}
