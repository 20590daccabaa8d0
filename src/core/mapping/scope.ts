/** What a template or expression can see while one record (or one entry row) is mapped. */
export interface Scope {
  /** The record, or the entry row inside a `children` mapping. `{x}` reads here. */
  row: unknown;
  /** The top-level record. `{$header.x}` reads here (equal to `row` outside entry rows). */
  header: unknown;
  /** The enclosing record or row (equal to `header` one level deep). `{$parent.x}` reads here. */
  parent: unknown;
  /** Index of the row in its source array; undefined at the top level. `{$index}` reads it. */
  index: number | undefined;
  ctx: MapContext;
}

/** Per-call context the caller may pass to `map()`. */
export interface MapContext {
  /** Clock for JSONata `$now()` / `$millis()` (inject a fake clock in tests). Default: the real clock. */
  now?: () => Date;
}

export function topScope(record: unknown, ctx: MapContext): Scope {
  return { row: record, header: record, parent: record, index: undefined, ctx };
}

export function rowScope(outer: Scope, row: unknown, index: number): Scope {
  return { row, header: outer.header, parent: outer.row, index, ctx: outer.ctx };
}
