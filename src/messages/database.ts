/** Messages of `salesops db …` (issue 19): the database itself moved between engines. */
import type { Entry } from './entry.js';

export const databaseMessages = {
  'db.description': { en: 'the database itself: copy it between a SQLite file and a PostgreSQL server', zh: '数据库本身：在 SQLite 文件和 PostgreSQL 服务器之间复制' },
  'copy.description': {
    en: 'copy every row (the audit log and change log included, ids kept) into a database with no data: a file onto the server, or back',
    zh: '把全部数据（含审计日志和修改记录，编号不变）复制到一个没有数据的数据库：把文件搬到服务器上，或反过来',
  },
  'copy.flag.from': { en: 'the database copied: a file path or postgres://user@host:5432/dbname', zh: '要复制的数据库：文件路径或 postgres://用户@主机:5432/数据库名' },
  'copy.flag.to': { en: 'where to: a new file, or a server database with no salesops data yet', zh: '复制到：一个新文件，或还没有 salesops 数据的服务器数据库' },
  'copy.same': { en: '--from {from} and --to {to} are the same database; nothing was copied', zh: '--from {from} 和 --to {to} 是同一个数据库；未复制任何内容' },
  'copy.same.hint': { en: 'name the database to copy into with --to', zh: '请用 --to 指定要复制到的数据库' },
  'copy.target_exists': { en: '{to} already exists; nothing was copied (a copy never merges into a database)', zh: '{to} 已存在；未复制任何内容（复制不会合并到已有数据库中）' },
  'copy.target_exists.hint': { en: 'give --to a file name not yet taken (or move the old file away first)', zh: '请给 --to 一个还没有使用的文件名（或先把旧文件移走）' },
  'copy.target_not_empty': { en: '{to} already holds data (table {table}); nothing was copied (a copy never merges into a database)', zh: '{to} 中已有数据（表 {table}）；未复制任何内容（复制不会合并到已有数据库中）' },
  'copy.target_not_empty.hint': { en: 'copy into a new, empty database: the administrator creates one with CREATE DATABASE … OWNER …', zh: '请复制到一个新的空数据库：由管理员用 CREATE DATABASE … OWNER … 创建' },
  'copy.table': { en: '  {table}: {rows} row(s)', zh: '  {table}：{rows} 行' },
  'copy.done': { en: 'copied {from} to {to}: {rows} row(s) in {tables} tables, the audit log included', zh: '已把 {from} 复制到 {to}：{tables} 个表共 {rows} 行，含审计日志' },
} satisfies Record<string, Entry>;
