import { FIELD_TYPES, FIELD_TYPE_ALIASES, type Field, type FieldType } from '../scheme/field.ts';
import { closest } from '../suggest.ts';
import { coercerFor, resolveType } from './coerce.ts';
import type { Zone } from './datetime.ts';
import { compileExpression, type CompiledExpression, type ExpressionLimits } from './expression.ts';
import { CompileError, type MappingCompileIssue } from './issues.ts';
import { chainSteps, compileParsers, compileRules } from './parser-chain.ts';
import { compileValueMap } from './parsers/value-map.ts';
import type { ParserRegistry } from './parsers/registry.ts';
import type { ParserCompileEnv, ParserFn } from './parsers/types.ts';
import { parseTargetPath } from './path.ts';
import type { Scope } from './scope.ts';
import { compilePathTemplate, compileTemplate, type Template } from './template.ts';
import { MISSING, isEmpty, isPlainObject } from './values.ts';

/**
 * Compiles one `request[]` entry into a FieldNode. The per-record pipeline of a field is:
 *   1. source: `expression` | `value` template | `sourceField` | entry rows (`children`) → raw value;
 *   2. `default` when the raw value is empty (missing, null or "");
 *   3. `mapping` value map (with `mappingDefault` for unmapped values);
 *   4. coercion to `type` (coerce.ts);
 *   5. `transformationRule` parsers, then the `parser` chain.
 * A field with no value, expression, sourceField, default or children is not emitted (the seed's
 * FDescription) — unless it is `required`, which then fails every record (and warns at compile time).
 */

export type FieldSource =
  | { kind: 'template'; template: Template }
  | { kind: 'expression'; expression: CompiledExpression }
  | { kind: 'rows'; rows: Template; children: FieldNode[] }
  | { kind: 'object'; from: Template | undefined; children: FieldNode[] }
  | { kind: 'none' };

export interface FieldNode {
  /** Target name as written: `FName`, `FSaleOrgId.FNumber`. */
  name: string;
  segments: string[];
  label: string | undefined;
  required: boolean;
  source: FieldSource;
  /** Steps 2–5; throws ValueError. Undefined when there is nothing to do. */
  finish: ((v: unknown, scope: Scope) => unknown) | undefined;
  /** Any expression in this node or below. */
  async: boolean;
  /** Placeholders of the source template that are missing, for messages. */
  missingIn(scope: Scope): string[];
  /** JSON path of the template in the scheme (`$.target.request[0].value`), when the source is a template. */
  templatePath?: string;
  /** A `default` stands in when the template renders empty or missing. */
  hasDefault: boolean;
}

export interface FieldCompileEnv extends ParserCompileEnv {
  registry: ParserRegistry;
  zone: Zone;
  limits: ExpressionLimits;
  errors: MappingCompileIssue[];
  warnings: MappingCompileIssue[];
}

function attempt<T>(path: string, env: FieldCompileEnv, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CompileError) {
      env.errors.push({ path: path + e.subPath, message: e.message, ...(e.suggestion ? { suggestion: e.suggestion } : {}) });
      return undefined;
    }
    throw e;
  }
}

const noMissing = () => [];

/** Compiles a list of fields (a `request[]` or a `children[]`), checking target-name clashes. */
export function compileFields(fields: readonly Field[], path: string, env: FieldCompileEnv): FieldNode[] {
  const nodes: FieldNode[] = [];
  // Target names seen (→ index), and every proper prefix of them (→ one name having it): a clash is found
  // in time proportional to the name's depth, so a list of n fields compiles in O(n).
  const seen = new Map<string, number>();
  const inside = new Map<string, string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(f)) {
      env.errors.push({ path: at, message: 'a field must be an object like {"field": "FName", "value": "{shop_name}"}' });
      return;
    }
    const node = compileField(f, at, env);
    if (!node) return;
    const key = node.segments.join('.');
    const clash = seen.has(key) ? key : (inside.get(key) ?? outerOf(node.segments, seen));
    if (clash !== undefined)
      env.errors.push({
        path: `${at}.field`,
        message: clash === key ? `field "${node.name}" is mapped twice (first at [${seen.get(clash)}])` : `field "${node.name}" clashes with "${clash}" at [${seen.get(clash)}] (one is inside the other)`,
      });
    else {
      seen.set(key, i);
      for (let d = 1; d < node.segments.length; d++) {
        const prefix = node.segments.slice(0, d).join('.');
        if (!inside.has(prefix)) inside.set(prefix, key);
      }
    }
    nodes.push(node);
  });
  return nodes;
}

/** A seen name this one is inside (`FSaleOrgId` for `FSaleOrgId.FNumber`), if any. */
function outerOf(segments: readonly string[], seen: ReadonlyMap<string, number>): string | undefined {
  for (let d = 1; d < segments.length; d++) {
    const prefix = segments.slice(0, d).join('.');
    if (seen.has(prefix)) return prefix;
  }
  return undefined;
}

function compileType(f: Field, at: string, env: FieldCompileEnv): FieldType | undefined | null {
  if (f.type === undefined) return undefined;
  const t = typeof f.type === 'string' ? resolveType(f.type) : undefined;
  if (t) return t;
  const near = typeof f.type === 'string' ? closest(f.type, [...FIELD_TYPES, ...Object.keys(FIELD_TYPE_ALIASES)]) : undefined;
  env.errors.push({ path: `${at}.type`, message: `unknown type ${JSON.stringify(f.type)} (allowed: ${FIELD_TYPES.join(', ')})`, ...(near ? { suggestion: `did you mean "${near}"?` } : {}) });
  return null;
}

function compileSource(f: Field, at: string, type: FieldType | undefined, env: FieldCompileEnv): FieldSource | undefined {
  if (f.children !== undefined) {
    if (!Array.isArray(f.children)) {
      env.errors.push({ path: `${at}.children`, message: 'children must be a list of fields' });
      return undefined;
    }
    if (type !== 'array' && type !== 'object') {
      env.errors.push({ path: `${at}.type`, message: 'a field with children needs type "array" (entry rows) or "object" (a nested object)' });
      return undefined;
    }
    const children = compileFields(f.children, `${at}.children`, env);
    const from =
      typeof f.source === 'string'
        ? attempt(`${at}.source`, env, () => compilePathTemplate(f.source as string))
        : f.value !== undefined
          ? attempt(`${at}.value`, env, () => compileTemplate(f.value))
          : undefined;
    if (type === 'array') {
      if (!from) {
        if (f.source === undefined && f.value === undefined) env.errors.push({ path: `${at}.source`, message: 'an entry list needs "source": the path of the source rows, e.g. "goods_list"' });
        return undefined;
      }
      return { kind: 'rows', rows: from, children };
    }
    return { kind: 'object', from, children };
  }
  if (f.source !== undefined) env.warnings.push({ path: `${at}.source`, message: '"source" is only used with "children"; ignored' });
  if (typeof f.expression === 'string') {
    if (f.value !== undefined) env.warnings.push({ path: `${at}.value`, message: '"value" is ignored because "expression" is set' });
    const expression = attempt(`${at}.expression`, env, () => compileExpression(f.expression as string, env.limits));
    return expression ? { kind: 'expression', expression } : undefined;
  }
  if (f.sourceField !== undefined) {
    if (f.value !== undefined) {
      env.errors.push({ path: `${at}.sourceField`, message: 'use either "value" or "sourceField", not both' });
      return undefined;
    }
    const template = attempt(`${at}.sourceField`, env, () => compilePathTemplate(String(f.sourceField)));
    return template ? { kind: 'template', template } : undefined;
  }
  if (f.value !== undefined) {
    const template = attempt(`${at}.value`, env, () => compileTemplate(f.value));
    return template ? { kind: 'template', template } : undefined;
  }
  if (f.default !== undefined) return { kind: 'template', template: { render: () => MISSING, missingIn: noMissing, dynamic: false } };
  return { kind: 'none' };
}

type Step = (v: unknown, scope: Scope) => unknown;

function compileFinish(f: Field, at: string, type: FieldType | undefined, hasChildren: boolean, env: FieldCompileEnv): Step | undefined {
  const steps: Step[] = [];
  if (f.default !== undefined) {
    const t = attempt(`${at}.default`, env, () => compileTemplate(f.default));
    if (t) steps.push((v, s) => (isEmpty(v) ? t.render(s) : v));
  }
  if (f.mapping !== undefined) {
    if (!isPlainObject(f.mapping)) env.errors.push({ path: `${at}.mapping`, message: 'mapping must be an object like {"0": "启用", "1": "停用"}' });
    else {
      const fallback = Object.hasOwn(f, 'mappingDefault') ? { value: f.mappingDefault } : undefined;
      const vm = compileValueMap(f.mapping, { fallback });
      steps.push((v) => (v === MISSING || v === null ? v : vm.lookup(v)));
    }
  } else if (Object.hasOwn(f, 'mappingDefault')) env.warnings.push({ path: `${at}.mappingDefault`, message: '"mappingDefault" without "mapping" has no effect' });
  const rules = f.transformationRule !== undefined ? compileRules(f.transformationRule, `${at}.transformationRule`, env.registry, env, env.errors) : [];
  const parsers = f.parser !== undefined ? compileParsers(f.parser, `${at}.parser`, env.registry, env, env.errors) : [];
  if (type && !hasChildren) {
    const first = rules[0] ?? parsers[0];
    const from = typeof f.value === 'string' ? f.value : typeof f.sourceField === 'string' ? `{${f.sourceField.replace(/^\{|\}$/g, '')}}` : undefined;
    const c = coercerFor(type, env.zone, { objectsPass: first?.def.acceptsObjects === true, ...(from !== undefined ? { from } : {}) });
    steps.push((v) => c(v));
  }
  const chain: ParserFn[] = [];
  for (const list of [rules, parsers]) {
    const c = chainSteps(list);
    if (c) chain.push(c);
  }
  steps.push(...chain);
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (v, s) => {
    let out = v;
    for (let i = 0; i < steps.length; i++) out = steps[i]!(out, s);
    return out;
  };
}

export function compileField(f: Field, at: string, env: FieldCompileEnv): FieldNode | undefined {
  if (f.field !== undefined && f.targetField !== undefined && f.field !== f.targetField)
    env.errors.push({ path: `${at}.targetField`, message: `"field" (${f.field}) and "targetField" (${f.targetField}) disagree; keep one` });
  const name = f.field ?? f.targetField;
  if (typeof name !== 'string' || name === '') {
    env.errors.push({ path: `${at}.field`, message: 'a field needs "field" (or the seed form "targetField")' });
    return undefined;
  }
  const segments = attempt(`${at}.${f.field !== undefined ? 'field' : 'targetField'}`, env, () => parseTargetPath(name));
  const typeOrBad = compileType(f, at, env);
  const type = typeOrBad ?? undefined;
  // Compile every part even after an error, so one pass reports all of a field's problems.
  const source = compileSource(f, at, type, env);
  const finish = compileFinish(f, at, type, source?.kind === 'rows' || source?.kind === 'object', env);
  if (typeOrBad === null || !segments || !source) return undefined;
  const required = f.required === true;
  if (source.kind === 'none') {
    if (!required) {
      if (f.parser !== undefined || f.mapping !== undefined || f.transformationRule !== undefined)
        env.warnings.push({ path: `${at}.value`, message: `field "${name}" has parsers but no value, so it is not sent` });
      return undefined;
    }
    env.warnings.push({ path: `${at}.value`, message: `field "${name}" is required but has no value, expression or default: every record will fail` });
  }
  const children = source.kind === 'rows' || source.kind === 'object' ? source.children : [];
  const template = source.kind === 'template' ? source.template : source.kind === 'rows' ? source.rows : source.kind === 'object' ? source.from : undefined;
  return {
    name,
    segments,
    label: typeof f.label === 'string' ? f.label : undefined,
    required,
    source,
    finish,
    async: source.kind === 'expression' || children.some((c) => c.async),
    missingIn: template ? (s) => template.missingIn(s) : noMissing,
    ...(template && source.kind !== 'object' ? { templatePath: `${at}.${source.kind === 'rows' ? (f.source !== undefined ? 'source' : 'value') : f.sourceField !== undefined ? 'sourceField' : 'value'}` } : {}),
    hasDefault: f.default !== undefined,
  };
}
