/**
 * Golden-file tests of the mapping engine: every JSON file in test/golden/mapping is one scenario.
 *
 *   { "description": "…", "kind": "map" | "request" | "compile" | "beatFlat" | "xml",
 *     "options": { compileMapping options }, "fields": [ request[] entries ],
 *     "input": [ records ], "output": [ one expected result per input ] }
 *
 * - map:      output[i] is `{ "value": {…} }` or `{ "errors": [MappingIssue…] }`; also `warnings` when expected.
 * - request:  like map, through renderRequest (input may be omitted = one empty context).
 * - compile:  `errors` / `warnings` = the expected compile issues (no input).
 * - beatFlat: `beatFlat: {path, options}`; input are envelopes; output the envelopes produced (then mapped
 *             with `fields` when given: `{sourceId, value|errors}`).
 * - xml:      `xml: RenderXmlOptions`; output[i] is `{ "xml": "…" }` or `{ "throws": "message part" }`.
 *
 * UPDATE_GOLDEN=1 rewrites the expected outputs from the actual ones (review the diff before committing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../src/core/records.ts';
import type { Field } from '../src/core/scheme/field.ts';
import { beatFlatRecord, compileMapping, renderRequest, renderXml, type CompileMappingOptions, type RenderXmlOptions } from '../src/core/mapping/index.ts';

interface Golden {
  description: string;
  kind?: 'map' | 'request' | 'compile' | 'beatFlat' | 'xml';
  options?: CompileMappingOptions;
  fields?: Field[];
  input?: unknown[];
  output?: unknown[];
  errors?: unknown[];
  warnings?: unknown[];
  beatFlat?: { path: string; options?: Parameters<typeof beatFlatRecord>[2] };
  xml?: RenderXmlOptions;
}

const dir = join(import.meta.dirname, 'golden', 'mapping');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const update = process.env.UPDATE_GOLDEN === '1';
const clock = () => new Date('2026-11-20T01:02:03.000Z');

function compiled(g: Golden) {
  const c = compileMapping(g.fields ?? [], { basePath: '$.target.request', ...g.options });
  if (!c.ok) throw new Error(`golden mapping does not compile: ${JSON.stringify(c.errors)}`);
  return c.mapping;
}

async function actualOutputs(g: Golden): Promise<unknown[]> {
  const kind = g.kind ?? 'map';
  const input = g.input ?? [];
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  switch (kind) {
    case 'map': {
      const m = compiled(g);
      const out: unknown[] = [];
      for (const rec of input) out.push(plain(await m.map(rec, { now: clock })));
      return out.map(strip);
    }
    case 'request': {
      const contexts = input.length > 0 ? input : [{}];
      const out: unknown[] = [];
      for (const ctx of contexts) out.push(plain(await renderRequest(g.fields ?? [], ctx as Record<string, unknown>, g.options)));
      return out.map(strip);
    }
    case 'beatFlat': {
      const m = g.fields ? compiled(g) : undefined;
      const out: unknown[] = [];
      for (const env of input as Envelope[]) {
        const r = beatFlatRecord(env, g.beatFlat!.path, g.beatFlat!.options);
        if (!r.ok) {
          out.push({ error: plain(r.error) });
          continue;
        }
        for (const line of r.records) out.push(m ? { sourceId: line.ref.sourceId, ...(strip(plain(await m.map(line.data))) as object) } : plain(line));
      }
      return out;
    }
    case 'xml': {
      const m = g.fields ? compiled(g) : undefined;
      const out: unknown[] = [];
      for (const rec of input) {
        let value = rec;
        if (m) {
          const r = await m.map(rec);
          if (!r.ok) {
            out.push(plain(r));
            continue;
          }
          value = r.value;
        }
        try {
          out.push({ xml: renderXml(value, g.xml!) });
        } catch (e) {
          out.push({ throws: (e as Error).message });
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** `{ok:true,value}` → `{value}`, `{ok:false,errors}` → `{errors}`: the golden files stay short. */
function strip(r: unknown): unknown {
  const o = r as { ok?: boolean; value?: unknown; errors?: unknown };
  return o.ok === true ? { value: o.value } : o.ok === false ? { errors: o.errors } : r;
}

describe.each(files)('golden %s', (file) => {
  const path = join(dir, file);
  const g = JSON.parse(readFileSync(path, 'utf8')) as Golden;

  if ((g.kind ?? 'map') === 'compile') {
    it(g.description, () => {
      const c = compileMapping(g.fields ?? [], { basePath: '$.target.request', ...g.options });
      const actual = JSON.parse(JSON.stringify({ errors: c.ok ? [] : c.errors, warnings: c.warnings })) as { errors: unknown[]; warnings: unknown[] };
      if (update) {
        writeFileSync(path, JSON.stringify({ ...g, errors: actual.errors, warnings: actual.warnings }, null, 2) + '\n');
        return;
      }
      expect(actual.errors).toEqual(g.errors ?? []);
      expect(actual.warnings).toEqual(g.warnings ?? []);
    });
    return;
  }

  it(g.description, async () => {
    const actual = await actualOutputs(g);
    if (update) {
      writeFileSync(path, JSON.stringify({ ...g, output: actual }, null, 2) + '\n');
      return;
    }
    expect(actual).toEqual(g.output);
  });
});
