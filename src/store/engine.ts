/**
 * Two engines behind one store (issue 19): the embedded SQLite file (the default) and a
 * PostgreSQL server for an office of several clerks. The store is written once against the
 * `DB` interface; a statement whose SQL differs between them names both, side by side —
 * `sqlFor(db, { sqlite: '… INDEXED BY tasks_kpi …', postgres: '… (no index hints: the
 * server's planner chooses) …' })` where it is prepared —
 * so a reader sees at a glance which statements differ and why.
 */
import type { DB } from './db.js';

export type Engine = 'sqlite' | 'postgres';

export function engineOf(db: DB): Engine {
  return (db as unknown as { engine?: Engine }).engine === 'postgres' ? 'postgres' : 'sqlite';
}

export function isPostgres(db: DB): boolean {
  return engineOf(db) === 'postgres';
}

/** The statement for this database's engine. */
export function sqlFor(db: DB, twins: { sqlite: string; postgres: string }): string {
  return isPostgres(db) ? twins.postgres : twins.sqlite;
}
