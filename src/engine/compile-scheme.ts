import { z } from 'zod';
import type { ReadSpec, WriteSpec } from '../core/contracts/platform.ts';
import type { JsonObject } from '../core/records.ts';
import { platformOptionProblems } from '../core/scheme/platform-options.ts';
import { Field } from '../core/scheme/field.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';
import type { TemplateGap } from '../core/mapping/mapping.ts';
import { closest } from '../core/suggest.ts';
import { compileMapping, compileBeatFlat, renderRequest, beatFlatPathProblem } from '../core/mapping/index.ts';
import { compileExpression } from '../core/mapping/expression.ts';
import { topScope } from '../core/mapping/scope.ts';
import { compileQuality } from '../core/quality/check.ts';
import type { CompiledScheme, MapOutcome } from './compiled-scheme.ts';

/**
 * The platforms of a scheme's source and target as far as the caller knows them (the composition root
 * resolves them from the connections): their option schemas are checked against the read and write specs.
 */
export interface SchemePlatforms {
  source?: { name: string; readOptions?: z.ZodType };
  target?: { name: string; writeOptions?: z.ZodType };
}

export type CompileSchemeResult = { ok: true; compiled: CompiledScheme } | { ok: false; problems: SchemeProblem[] };

/**
 * Turns a validated scheme into what a run needs: the read and write specs for the platforms (static
 * parameters rendered and typed), the compiled record mapping, quality rules and the beatFlat explode.
 * Problems (bad parser, template, expression, beatFlat path, quality expression) come back with JSON paths.
 */
export function compileScheme(scheme: Scheme, platforms: SchemePlatforms = {}): CompileSchemeResult {
  const problems: SchemeProblem[] = [];
  const toProblems = (errs: { path: string; message: string; suggestion?: string }[]) =>
    errs.forEach((e) => problems.push({ path: e.path, message: e.message, ...(e.suggestion ? { suggestion: e.suggestion } : {}) }));

  const mapping = compileMapping(scheme.target.request, { basePath: '$.target.request' });
  if (!mapping.ok) toProblems(mapping.errors);

  let paramsOk = true;
  const params = (fields: Scheme['source']['request'], base: string): JsonObject => {
    const n = problems.length;
    const out = renderParams(fields, base);
    if (problems.length > n) paramsOk = false;
    return out;
  };
  const renderParams = (fields: Scheme['source']['request'], base: string): JsonObject => {
    const compiled = compileMapping(fields, { basePath: base });
    if (!compiled.ok) {
      toProblems(compiled.errors);
      return {};
    }
    if (compiled.mapping.isAsync) {
      problems.push({ path: base, message: 'request parameters cannot use expressions (they are rendered once, before the run)' });
      return {};
    }
    const r = compiled.mapping.mapSync({});
    if (!r.ok) {
      r.errors.forEach((e) => problems.push({ path: `${base}`, message: e.message }));
      return {};
    }
    return r.value;
  };
  const sourceParams = { ...params(scheme.source.request, '$.source.request'), ...params(scheme.source.otherRequest, '$.source.otherRequest') };
  const targetParams = params(scheme.target.otherRequest, '$.target.otherRequest');

  let explode: CompiledScheme['explode'] = (record, id) => [{ id, data: record }];
  if (scheme.source.beatFlat) {
    const why = beatFlatPathProblem(scheme.source.beatFlat);
    if (why) problems.push({ path: '$.source.beatFlat', message: why });
    else {
      const flat = compileBeatFlat(scheme.source.beatFlat);
      explode = (record, id) => {
        const r = flat({ ref: { scheme: scheme.name, api: scheme.source.api, page: '', index: 0, sourceId: id }, data: record });
        return r.ok ? r.records.map((e) => ({ id: e.ref.sourceId, data: e.data })) : { error: r.error.message };
      };
    }
  }

  const ruleExpressions = new Map<string, ReturnType<typeof compileExpression>>();
  scheme.quality.rules.forEach((rule, i) => {
    if (!rule.expression) return;
    try {
      ruleExpressions.set(rule.expression, compileExpression(rule.expression));
    } catch (e) {
      problems.push({ path: `$.quality.rules[${i}].expression`, message: `not a valid expression: ${(e as { reason?: string; message?: string }).reason ?? (e as Error).message}` });
    }
  });
  const checkQuality = compileQuality(scheme.quality.rules, async (expr, value, record) => {
    const c = ruleExpressions.get(expr);
    if (!c) return true;
    try {
      return Boolean(await c.evaluate(topScope({ ...record, $value: value }, {})));
    } catch {
      return false;
    }
  });

  const numberField = mapping.ok ? (scheme.target.number ?? (mapping.mapping.fields.includes('FNumber') ? 'FNumber' : undefined)) : scheme.target.number;
  const readSpec: ReadSpec = {
    api: scheme.source.api,
    method: scheme.source.method,
    params: sourceParams,
    pageSize: scheme.source.pagination.pageSize,
    ...(scheme.source.listKey ? { listKey: scheme.source.listKey } : {}),
    ...(scheme.source.extra ? { extra: scheme.source.extra as JsonObject } : {}),
  };
  const writeSpec: WriteSpec = {
    api: scheme.target.api,
    method: scheme.target.method,
    params: targetParams,
    ...(scheme.target.operation ? { operation: scheme.target.operation as JsonObject } : {}),
    ...(numberField ? { numberField } : {}),
    ...(scheme.target.extra ? { extra: scheme.target.extra as JsonObject } : {}),
  };
  // Options are checked on rendered parameters only (a parameter that did not render is reported already).
  if (paramsOk && platforms.source?.readOptions) problems.push(...platformOptionProblems(scheme, 'source', readSpec, platforms.source.readOptions, platforms.source.name));
  if (paramsOk && platforms.target?.writeOptions) problems.push(...platformOptionProblems(scheme, 'target', writeSpec, platforms.target.writeOptions, platforms.target.name));

  if (problems.length || !mapping.ok) return { ok: false, problems };

  const m = mapping.mapping;
  const map = (record: JsonObject): MapOutcome | Promise<MapOutcome> => m.map(record) as MapOutcome | Promise<MapOutcome>;
  return {
    ok: true,
    compiled: {
      scheme,
      readSpec,
      writeSpec,
      map,
      checkQuality,
      explode,
      templateGaps: (records, from) => describeGaps(m.templateGaps(records), records, from),
      ...(numberField ? { numberField } : {}),
    },
  };
}

/** `{shop_nme}` missing from every record → a problem at the template, with the closest key the records have. */
export function describeGaps(gaps: readonly TemplateGap[], records: readonly JsonObject[], from: string): SchemeProblem[] {
  if (!gaps.length) return [];
  const keys = new Set<string>();
  for (const r of records.slice(0, 100)) for (const k of Object.keys(r)) keys.add(k);
  return gaps.map((g) => {
    const name = g.placeholder.replace(/^\{|\}$/g, '');
    const near = closest(name.split(/[.[]/)[0]!, [...keys]);
    return {
      path: g.path,
      message: `template field ${g.placeholder} is missing from ${from}`,
      ...(near ? { suggestion: `did you mean {${near}}?` } : {}),
    };
  });
}

/**
 * Mapping problems of a document that did not pass the schema as a whole: each field list that is itself
 * well-formed is still compiled, so `ferry validate` reports a bad parser name and a misspelt key together.
 */
export function fieldListProblems(doc: unknown): SchemeProblem[] {
  const out: SchemeProblem[] = [];
  const lists: [string, string][] = [
    ['source', 'request'],
    ['source', 'otherRequest'],
    ['target', 'request'],
    ['target', 'otherRequest'],
  ];
  for (const [block, key] of lists) {
    const list = (doc as Record<string, Record<string, unknown> | undefined> | null)?.[block]?.[key];
    const parsed = z.array(Field).safeParse(list);
    if (!parsed.success) continue;
    const r = compileMapping(parsed.data, { basePath: `$.${block}.${key}` });
    if (!r.ok) for (const e of r.errors) out.push({ path: e.path, message: e.message, ...(e.suggestion ? { suggestion: e.suggestion } : {}) });
  }
  return out;
}

/** Only the problems (for `ferry validate`). */
export function compileSchemeMappings(scheme: Scheme, platforms: SchemePlatforms = {}): { ok: true } | { ok: false; problems: SchemeProblem[] } {
  const r = compileScheme(scheme, platforms);
  return r.ok ? { ok: true } : { ok: false, problems: r.problems };
}

export { renderRequest };
