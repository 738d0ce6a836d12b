/** `salesops audit` — the append-only log of reveals and personal-data exports (§5). */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action } from './run.js';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(t('audit.description'))
    .option('--from <date>', t('audit.flag.from'))
    .option('--to <date>', t('audit.flag.to'))
    .action(
      action(async (ctx, f: { from?: string; to?: string }) => {
        const { openDb } = await import('../store/db.js');
        const { listAudit } = await import('../store/audit.js');
        const { render } = await import('../io/render.js');
        const { maskFreeText } = await import('../domain/masking.js');
        const db = openDb(ctx.dbPath);
        // §5: a reason or subject typed with a phone or ID number in it is shown masked
        const rows = listAudit(db, f).map((r) => ({ ...r, reason: maskFreeText(r.reason), subject: maskFreeText(r.subject) }));
        db.close();
        if (rows.length === 0) ctx.info('common.no_rows');
        ctx.out(
          render(rows as unknown as Record<string, unknown>[], [
            { key: 'audit_id', header: { zh: '序号', en: 'audit_id' }, kind: 'int' },
            { key: 'at', header: { zh: '时间', en: 'at' } },
            { key: 'action', header: { zh: '操作', en: 'action' } },
            { key: 'approved_by', header: { zh: '批准人', en: 'approved_by' } },
            { key: 'reason', header: { zh: '原因', en: 'reason' } },
            { key: 'subject', header: { zh: '对象', en: 'subject' } },
            { key: 'os_user', header: { zh: '系统用户', en: 'os_user' } },
          ], ctx),
        );
      }),
    );
}
