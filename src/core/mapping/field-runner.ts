import type { FieldNode } from './field-compiler.ts';
import { ValueError, fieldTitle, type MappingIssue } from './issues.ts';
import { writePath } from './path.ts';
import { rowScope, type Scope } from './scope.ts';
import { MISSING, isPlainObject, showValue } from './values.ts';

/**
 * Runs compiled fields over one record (or one entry row), collecting every issue rather than stopping at
 * the first, so a user sees all that is wrong with a record at once. Two twins: runFieldsSync for mappings
 * without expressions (the fast path: no promise per record) and runFieldsAsync.
 * Issue paths are target paths: `FEntity[3].FQty` (the row index is the index in the SOURCE array).
 */

function missingText(names: string[]): string {
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} missing`;
}

function failure(n: FieldNode, prefix: string, e: ValueError, scope: Scope): MappingIssue {
  const path = prefix + n.name;
  let reason = e.reason;
  if (e.value === MISSING) {
    const m = n.missingIn(scope);
    if (m.length > 0) reason += ` (${missingText(m)})`;
  }
  const issue: MappingIssue = { path, message: `${fieldTitle(path, n.label)}: ${reason}` };
  if (n.label !== undefined) issue.label = n.label;
  if (e.value !== undefined && e.value !== MISSING) issue.value = e.value;
  return issue;
}

function requiredFailure(n: FieldNode, prefix: string, raw: unknown, v: unknown, scope: Scope): MappingIssue {
  const path = prefix + n.name;
  let reason: string;
  if (v === null) reason = 'required, but the value is null';
  else if (v === '' || raw === '') reason = 'required, but the value is empty';
  else {
    const m = n.missingIn(scope);
    reason = m.length > 0 ? `required, but ${missingText(m)}` : 'required, but there is no value';
  }
  const issue: MappingIssue = { path, message: `${fieldTitle(path, n.label)}: ${reason}` };
  if (n.label !== undefined) issue.label = n.label;
  return issue;
}

/** Emits `v` for node `n`, or records why not. */
function emit(n: FieldNode, prefix: string, raw: unknown, scope: Scope, out: Record<string, unknown>, issues: MappingIssue[]): void {
  let v = raw;
  try {
    if (n.finish) v = n.finish(raw, scope);
  } catch (e) {
    if (e instanceof ValueError) {
      issues.push(failure(n, prefix, e, scope));
      return;
    }
    throw e;
  }
  if (n.required && (v === MISSING || v === null || v === '')) {
    issues.push(requiredFailure(n, prefix, raw, v, scope));
    return;
  }
  if (v === MISSING) return;
  if (n.segments.length === 1) out[n.segments[0]!] = v;
  else writePath(out, n.segments, v);
}

function rowsOf(value: unknown): unknown[] | undefined {
  if (value === MISSING || value === null) return undefined;
  if (!Array.isArray(value)) throw new ValueError(`${showValue(value)} is not a list of rows`, value);
  return value;
}

function objectScope(scope: Scope, value: unknown): Scope | undefined {
  if (value === MISSING || value === null) return undefined;
  if (!isPlainObject(value)) throw new ValueError(`${showValue(value)} is not an object`, value);
  return { row: value, header: scope.header, parent: scope.row, index: scope.index, ctx: scope.ctx };
}

export function runFieldsSync(nodes: readonly FieldNode[], scope: Scope, prefix: string, issues: MappingIssue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    const src = n.source;
    let raw: unknown;
    try {
      if (src.kind === 'template') raw = src.template.render(scope);
      else if (src.kind === 'rows') {
        const value = src.rows.render(scope);
        const rows = rowsOf(value);
        raw = rows ? rows.map((row, i) => runFieldsSync(src.children, rowScope(scope, row, i), `${prefix}${n.name}[${i}].`, issues)) : value;
      } else if (src.kind === 'object') {
        const value = src.from ? src.from.render(scope) : scope.row;
        const inner = src.from ? objectScope(scope, value) : scope;
        const obj = inner && runFieldsSync(src.children, inner, `${prefix}${n.name}.`, issues);
        raw = obj === undefined ? value : Object.keys(obj).length > 0 ? obj : MISSING;
      } else if (src.kind === 'none') raw = MISSING;
      else throw new TypeError('runFieldsSync reached an expression; use the async path');
    } catch (e) {
      if (e instanceof ValueError) {
        issues.push(failure(n, prefix, e, scope));
        continue;
      }
      throw e;
    }
    emit(n, prefix, raw, scope, out, issues);
  }
  return out;
}

export async function runFieldsAsync(nodes: readonly FieldNode[], scope: Scope, prefix: string, issues: MappingIssue[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const n of nodes) {
    const src = n.source;
    let raw: unknown;
    try {
      if (src.kind === 'template') raw = src.template.render(scope);
      else if (src.kind === 'expression') raw = await src.expression.evaluate(scope);
      else if (src.kind === 'rows') {
        const value = src.rows.render(scope);
        const rows = rowsOf(value);
        if (rows) {
          const built: Record<string, unknown>[] = [];
          for (let i = 0; i < rows.length; i++) built.push(await runFieldsAsync(src.children, rowScope(scope, rows[i], i), `${prefix}${n.name}[${i}].`, issues));
          raw = built;
        } else raw = value;
      } else if (src.kind === 'object') {
        const value = src.from ? src.from.render(scope) : scope.row;
        const inner = src.from ? objectScope(scope, value) : scope;
        const obj = inner && (await runFieldsAsync(src.children, inner, `${prefix}${n.name}.`, issues));
        raw = obj === undefined ? value : Object.keys(obj).length > 0 ? obj : MISSING;
      } else raw = MISSING;
    } catch (e) {
      if (e instanceof ValueError) {
        issues.push(failure(n, prefix, e, scope));
        continue;
      }
      throw e;
    }
    emit(n, prefix, raw, scope, out, issues);
  }
  return out;
}
