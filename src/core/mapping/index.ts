/**
 * The mapping engine (pure: no I/O). Entry points:
 * - compileMapping(fields, opts) → { ok, mapping: { isAsync, map, mapSync, mapAsync } } | { ok: false, errors }
 * - renderRequest(fields, context?) for otherRequest[] / source request[]
 * - beatFlat / compileBeatFlat / beatFlatRecord to explode nested arrays
 * - renderXml for XML targets
 * - createParserRegistry / DEFAULT_PARSERS / suggestParserName
 * - mappingFailure(issues, ref) → FerryError (kind mapping, reject_record)
 */
export { compileMapping, type CompileMappingOptions, type CompileMappingResult, type CompiledMapping } from './mapping.ts';
export { renderRequest } from './request.ts';
export { beatFlat, beatFlatPathProblem, beatFlatRecord, compileBeatFlat, compileExplode, type BeatFlatOptions } from './beat-flat.ts';
export { renderXml, type RenderXmlOptions } from './xml.ts';
export { createParserRegistry, DEFAULT_PARSERS, suggestParserName, type ParserRegistry } from './parsers/registry.ts';
export type { ParserDef, ParserFn, ParserCompileEnv } from './parsers/types.ts';
export type { MappingIssue, MappingCompileIssue, MappingResult } from './issues.ts';
export { ValueError, CompileError } from './issues.ts';
export type { MapContext, Scope } from './scope.ts';
export type { ExpressionLimits } from './expression.ts';
export { mappingFailure } from './to-ferry-error.ts';
export { compileTemplate, type Template } from './template.ts';
export { resolveType } from './coerce.ts';
export { MISSING, isEmpty } from './values.ts';
