import type { Zone } from '../datetime.ts';
import type { Scope } from '../scope.ts';
import type { Template } from '../template.ts';

/** Per-record step of a parser: returns the new value (possibly MISSING) or throws ValueError. */
export type ParserFn = (value: unknown, scope: Scope) => unknown;

export interface ParserCompileEnv {
  /** The mapping's zone (default +08:00, Beijing time). */
  zone: Zone;
  /** Compiles a template for parsers whose params read the record (Concat, Default). */
  compileTemplate(value: unknown): Template;
}

/**
 * A value parser. Params are checked once, at compile time: a bad params shape is a scheme error
 * (CompileError), never a per-record error. The returned function runs per record.
 */
export interface ParserDef {
  /** Name used in `parser.name`, e.g. `ConvertObjectParser`. */
  readonly name: string;
  /** Other accepted names (exact spelling in `parser.name`; any case in `transformationRule`). */
  readonly aliases?: readonly string[];
  /** One line for docs and `ferry validate`. */
  readonly summary: string;
  /** Accepted params, for docs and error messages. */
  readonly usage: string;
  /** When true the parser also runs on a MISSING value (Default, ConvertObjectParser, Concat); otherwise MISSING skips it. */
  readonly acceptsMissing?: boolean;
  /** When true the parser takes objects and arrays, so a `type: string` field hands them to it instead of refusing them. */
  readonly acceptsObjects?: boolean;
  compile(params: unknown, env: ParserCompileEnv): ParserFn;
}
