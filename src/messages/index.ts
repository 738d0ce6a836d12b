/**
 * The one message catalogue. Every text a user reads goes through `t(key, params)`, in
 * Chinese or English. Parts live in sibling files (one per command group) and are joined here, so each key is defined once and a
 * typo is a compile error. The table headers of every listing are the part in columns.ts,
 * read through its `columnHeader` (loaded only by commands that list something).
 */
import { common } from './common.js';
import { imports } from './imports.js';
import { assignMessages } from './assign.js';
import { followupMessages } from './followups.js';
import { tripMessages } from './trips.js';
import { kpiMessages } from './kpi.js';
import { fileMessages } from './files.js';
import { sealedMessages } from './sealed.js';
import { maintenanceMessages } from './maintenance.js';
import { helpMessages } from './help.js';
import { customerMessages } from './customers.js';
import { planMessages } from './plans.js';
import { workbookMessages } from './workbooks.js';
import { reportMessages } from './report.js';
import { databaseMessages } from './database.js';

import type { Entry, Lang } from './entry.js';
export type { Entry, Lang } from './entry.js';

type Catalogue = typeof common &
  typeof imports &
  typeof assignMessages &
  typeof followupMessages &
  typeof tripMessages &
  typeof kpiMessages &
  typeof fileMessages &
  typeof sealedMessages &
  typeof maintenanceMessages &
  typeof helpMessages &
  typeof customerMessages &
  typeof planMessages &
  typeof workbookMessages &
  typeof reportMessages &
  typeof databaseMessages;
export type MessageKey = keyof Catalogue;

// The parts are searched, not merged into one object: spreading a thousand keys into one
// object literal cost more at every start than all the rest of `salesops --help`.
// Listed from the last, so that a later part would win as in a merge; no key is in two
// parts (test/unit/catalogue.test.ts), so none does.
const parts: Record<string, Entry>[] = [databaseMessages, reportMessages, workbookMessages, planMessages, customerMessages, helpMessages, sealedMessages, maintenanceMessages, fileMessages, kpiMessages, tripMessages, followupMessages, assignMessages, imports, common];

// each key searched for once: a listing says the same words on every row (issue 17: the
// search through the parts was a tenth of rendering a due list of 549 rows)
const found = new Map<string, Entry>();

function lookup(key: MessageKey): Entry {
  const known = found.get(key);
  if (known !== undefined) return known;
  for (const part of parts) {
    const e = part[key];
    if (e !== undefined) {
      found.set(key, e);
      return e;
    }
  }
  return undefined as unknown as Entry;
}

let current: Lang = 'en';

export function setLang(lang: Lang): void {
  current = lang;
}

export function getLang(): Lang {
  return current;
}

/** `LANG=zh_CN.UTF-8` (or LC_ALL / LC_MESSAGES) means Chinese; anything else English. */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(v) ? 'zh' : 'en';
}

export type Params = Record<string, string | number | null | undefined>;

export function t(key: MessageKey, params?: Params, lang: Lang = current): string {
  const text = lookup(key)[lang];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? m : String(v);
  });
}

/** Both languages of one key, for column headers and rule names rendered later. */
export function entry(key: MessageKey): Entry {
  return lookup(key);
}
