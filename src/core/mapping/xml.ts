import { createRequire } from 'node:module';
import type { XMLBuilder as XMLBuilderClass } from 'fast-xml-parser';
import { FerryFailure } from '../errors.ts';
import { isPlainObject } from './values.ts';

/**
 * renderXml: a mapped record → XML text, for XML targets (fast-xml-parser's builder).
 *
 * - Objects become elements; keys starting with `attributePrefix` (default `@_`) become attributes of
 *   their element; the key `#text` is the element's text.
 * - An array under key `k` becomes repeated `<k>` elements (the usual XML list shape). An array nested
 *   directly in an array, and a top-level array, wrap each item in `<arrayItemName>` (default `item`).
 * - Text is escaped (`& < > " '`); Chinese and other Unicode text is written as is (the document is UTF-8).
 * - null becomes an empty element `<k/>`; a missing (undefined) value writes nothing; "" gives `<k></k>`.
 * - Booleans and numbers are written as JSON writes them (`true`, `1.5`).
 * - An element or attribute name that is not a valid XML name, or text with characters XML 1.0 cannot
 *   carry (control characters), throws a FerryFailure (kind `mapping`, action `reject_record`) naming the path.
 */
export interface RenderXmlOptions {
  /** Root element name. */
  root: string;
  arrayItemName?: string;
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` first (default false). */
  declaration?: boolean;
  attributePrefix?: string;
  /** Indent the output (default false). */
  format?: boolean;
}

let Builder: typeof XMLBuilderClass | undefined;
/** fast-xml-parser's builder, loaded on first use (only XML targets need it; loading costs start-up time). */
function xmlBuilder(): typeof XMLBuilderClass {
  Builder ??= (createRequire(import.meta.url)('fast-xml-parser') as { XMLBuilder: typeof XMLBuilderClass }).XMLBuilder;
  return Builder;
}

const NAME_RE = /^[A-Za-z_\u00C0-\uFFEF][\w.\-\u00B7\u00C0-\uFFEF]*(?::[A-Za-z_\u00C0-\uFFEF][\w.\-\u00B7\u00C0-\uFFEF]*)?$/;
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function fail(message: string): never {
  throw new FerryFailure({ kind: 'mapping', action: 'reject_record', message: `XML rendering failed: ${message}` });
}

function checkName(name: string, path: string): void {
  if (!NAME_RE.test(name) || /^xml/i.test(name)) fail(`"${name}" at ${path || '/'} is not a valid XML name`);
}

/** Validates names and text, and wraps nested arrays in item elements. */
function prepare(v: unknown, path: string, o: Required<Omit<RenderXmlOptions, 'declaration' | 'format' | 'root'>>): unknown {
  if (typeof v === 'string') {
    if (BAD_CHARS.test(v)) fail(`text at ${path} contains a control character XML cannot carry`);
    return v;
  }
  if (Array.isArray(v)) return v.map((item, i) => (Array.isArray(item) ? { [o.arrayItemName]: prepare(item, `${path}[${i}]`, o) } : prepare(item, `${path}[${i}]`, o)));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const isAttr = k.startsWith(o.attributePrefix);
      if (k !== '#text') checkName(isAttr ? k.slice(o.attributePrefix.length) : k, `${path}/${k}`);
      if (isAttr && v[k] !== null && typeof v[k] === 'object') fail(`attribute ${path}/${k} must be text or a number`);
      out[k] = prepare(v[k], `${path}/${k}`, o);
    }
    return out;
  }
  return v;
}

export function renderXml(value: unknown, opts: RenderXmlOptions): string {
  const o = { arrayItemName: opts.arrayItemName ?? 'item', attributePrefix: opts.attributePrefix ?? '@_' };
  checkName(opts.root, '');
  checkName(o.arrayItemName, '');
  const body = Array.isArray(value) ? { [o.arrayItemName]: value } : value;
  const prepared = prepare(body, `/${opts.root}`, o);
  const XMLBuilder = xmlBuilder();
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: o.attributePrefix,
    textNodeName: '#text',
    format: opts.format === true,
    suppressEmptyNode: false,
    suppressBooleanAttributes: false,
  });
  const xml = builder.build({ [opts.root]: prepared }) as string;
  return opts.declaration ? `<?xml version="1.0" encoding="UTF-8"?>${opts.format ? '\n' : ''}${xml}` : xml;
}
