import type { Field } from '../scheme/field.ts';
import { parseZone, type Zone } from './datetime.ts';
import type { ExpressionLimits } from './expression.ts';
import { compileFields, type FieldCompileEnv, type FieldNode } from './field-compiler.ts';
import { runFieldsAsync, runFieldsSync } from './field-runner.ts';
import { CompileError, type MappingCompileIssue, type MappingIssue, type MappingResult } from './issues.ts';
import { createParserRegistry, type ParserRegistry } from './parsers/registry.ts';
import { topScope, type MapContext } from './scope.ts';
import { compileTemplate } from './template.ts';

/**
 * compileMapping: a `request[]` list (a target mapping, or any list of parameters) → a compiled mapping.
 *
 * Compile once per scheme, then call `map(record)` per record. Compile errors (bad parser name or params,
 * template syntax, expression syntax, unknown type, clashing target fields) come back as a list with JSON
 * paths into the scheme (`$.target.request[3].parser.name`), never as thrown errors.
 *
 * Sync fast path: when no field uses an `expression`, `isAsync` is false and `map()` returns the result
 * directly (no promise per record); with expressions `map()` returns a Promise. `mapSync` / `mapAsync`
 * give a fixed shape when the caller prefers one (`mapSync` throws a TypeError on an async mapping).
 */

export interface CompileMappingOptions {
  /** Parsers the mapping may name. Default: createParserRegistry() (DEFAULT_PARSERS). */
  parsers?: ParserRegistry;
  /** JSON path of the list in the scheme, prefixed to compile issue paths. Default `$`; e.g. `$.target.request`. */
  basePath?: string;
  /** Zone of vendor times without an offset and of dates written (default `+08:00`, Beijing time; see datetime.ts). */
  timeZone?: string;
  /** Limits for JSONata expressions (see expression.ts). */
  expressionLimits?: ExpressionLimits;
}

export interface CompiledMapping {
  /** True when some field uses an expression: `map()` then returns a Promise. */
  readonly isAsync: boolean;
  /** Top-level target field names that may be emitted, in order (fields without a value are left out). */
  readonly fields: readonly string[];
  map(record: unknown, ctx?: MapContext): MappingResult | Promise<MappingResult>;
  mapSync(record: unknown, ctx?: MapContext): MappingResult;
  mapAsync(record: unknown, ctx?: MapContext): Promise<MappingResult>;
  /**
   * Template placeholders of the top-level fields (without a `default`) that are missing from every one of
   * `records`: a misspelt `{shop_nme}` that would fail every record. Empty when `records` is empty.
   */
  templateGaps(records: readonly unknown[]): TemplateGap[];
}

export interface TemplateGap {
  /** JSON path of the template in the scheme, e.g. `$.target.request[0].value`. */
  path: string;
  /** The placeholder as written, e.g. `shop_nme`. */
  placeholder: string;
}

export type CompileMappingResult =
  | { ok: true; mapping: CompiledMapping; warnings: MappingCompileIssue[] }
  | { ok: false; errors: MappingCompileIssue[]; warnings: MappingCompileIssue[] };

const NO_CTX: MapContext = Object.freeze({});

function result(value: Record<string, unknown>, issues: MappingIssue[]): MappingResult {
  return issues.length === 0 ? { ok: true, value } : { ok: false, errors: issues };
}

function build(nodes: FieldNode[]): CompiledMapping {
  const isAsync = nodes.some((n) => n.async);
  const mapSync = (record: unknown, ctx: MapContext = NO_CTX): MappingResult => {
    if (isAsync) throw new TypeError('this mapping uses expressions: call map() or mapAsync()');
    const issues: MappingIssue[] = [];
    const value = runFieldsSync(nodes, topScope(record, ctx), '', issues);
    return result(value, issues);
  };
  const mapAsync = async (record: unknown, ctx: MapContext = NO_CTX): Promise<MappingResult> => {
    const issues: MappingIssue[] = [];
    const value = isAsync ? await runFieldsAsync(nodes, topScope(record, ctx), '', issues) : runFieldsSync(nodes, topScope(record, ctx), '', issues);
    return result(value, issues);
  };
  const templateGaps = (records: readonly unknown[]): TemplateGap[] => {
    if (records.length === 0) return [];
    const scopes = records.map((r) => topScope(r, NO_CTX));
    const gaps: TemplateGap[] = [];
    for (const n of nodes) {
      if (n.hasDefault || !n.templatePath) continue;
      let missing = new Set(n.missingIn(scopes[0]!));
      for (let i = 1; i < scopes.length && missing.size > 0; i++) {
        const here = new Set(n.missingIn(scopes[i]!));
        missing = new Set([...missing].filter((m) => here.has(m)));
      }
      for (const placeholder of missing) gaps.push({ path: n.templatePath, placeholder });
    }
    return gaps;
  };
  return {
    isAsync,
    templateGaps,
    fields: nodes.map((n) => n.name),
    map: isAsync ? mapAsync : mapSync,
    mapSync,
    mapAsync,
  };
}

export function compileMapping(fields: readonly Field[], opts: CompileMappingOptions = {}): CompileMappingResult {
  const basePath = opts.basePath ?? '$';
  const errors: MappingCompileIssue[] = [];
  const warnings: MappingCompileIssue[] = [];
  if (!Array.isArray(fields)) return { ok: false, errors: [{ path: basePath, message: 'the mapping must be a list of fields' }], warnings };
  let zone: Zone;
  try {
    zone = parseZone(opts.timeZone ?? '+08:00');
  } catch (e) {
    if (e instanceof CompileError) return { ok: false, errors: [{ path: basePath, message: e.message }], warnings };
    throw e;
  }
  const env: FieldCompileEnv = {
    registry: opts.parsers ?? createParserRegistry(),
    zone,
    limits: opts.expressionLimits ?? {},
    errors,
    warnings,
    compileTemplate,
  };
  const nodes = compileFields(fields, basePath, env);
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, mapping: build(nodes), warnings };
}
