/**
 * What `salesops export KIND` can write (SPEC §4), in a module with no imports: the program's
 * help lists the kinds from here without loading the store.
 */
export const EXPORT_KINDS = ['staff', 'customers', 'assignments', 'events', 'files', 'tasks', 'followups', 'orders', 'trips', 'expenses', 'allowances', 'kpi'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const isExportKind = (kind: string): kind is ExportKind => (EXPORT_KINDS as readonly string[]).includes(kind);

/**
 * §5 the kinds with sealed columns, shown only with a GM's approval (--reveal): what stays
 * sealed without it besides phones and addresses (health notes, follow-up notes).
 */
export const SEALED: Partial<Record<ExportKind, { health?: boolean; notes?: boolean }>> = {
  customers: { health: true },
  tasks: {},
  followups: { notes: true },
};
