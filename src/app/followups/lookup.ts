/** The staff member a `--staff` flag names (an id, or a name only one staff member has). */
import type { DB } from '../../store/db.js';
import type { StaffMember } from '../../domain/staff.js';
import { UserError } from '../../errors.js';
import { t } from '../../messages/index.js';
import { findStaff } from '../../store/staff.js';

export function staffNamed(db: DB, idOrName: string): StaffMember {
  const s = findStaff(db, idOrName);
  if (!s) throw new UserError(t('staff.unknown', { id: idOrName }), t('staff.unknown.hint'));
  return s;
}
