/**
 * issue 19: the store's SQL keeps SQLite's placeholders (`?`, `@name`); on PostgreSQL the
 * adapter numbers them ($1…), never inside a string, a quoted name or a comment, a name
 * used twice bound once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translatePlaceholders } from '../../src/store/pg/pgDb.js';

describe('placeholders on PostgreSQL', () => {
  it.each<[string, string, (string | number)[]]>([
    ['SELECT * FROM t WHERE a = ? AND b = ?', 'SELECT * FROM t WHERE a = $1 AND b = $2', [0, 1]],
    ['WHERE (@from IS NULL OR at >= @from) AND at < @to', 'WHERE ($1 IS NULL OR at >= $1) AND at < $2', ['from', 'to']],
    ["SELECT '?', 'it''s @x', ? FROM t", "SELECT '?', 'it''s @x', $1 FROM t", [0]],
    ['SELECT "col?" FROM t WHERE x = @x', 'SELECT "col?" FROM t WHERE x = $1', ['x']],
    ['SELECT 1 -- why? @no\nWHERE a = ?', 'SELECT 1 -- why? @no\nWHERE a = $1', [0]],
    ['SELECT /* ? @x */ ?', 'SELECT /* ? @x */ $1', [0]],
    ['SELECT x::text, @a || @b', 'SELECT x::text, $1 || $2', ['a', 'b']],
    ["SELECT 'user@example.com'", "SELECT 'user@example.com'", []],
  ])('%s', (sql, text, names) => {
    expect(translatePlaceholders(sql)).toEqual({ text, names });
  });

  it('leaves every string literal as it was, whatever it holds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('?', '@x', "'", '--', '/*')), { maxLength: 6 }), (parts) => {
        const literals = parts.map((p) => `'${p.replace(/'/g, "''")}'`);
        const sql = `SELECT ${literals.join(', ')}, ?`;
        const { text, names } = translatePlaceholders(sql);
        expect(text).toBe(`SELECT ${literals.join(', ')}, $1`);
        expect(names).toEqual([0]);
      }),
    );
  });
});
