import type { JsonObject } from '../../core/records.ts';
import type { CompiledScheme } from '../../engine/compiled-scheme.ts';
import { readPath } from '../../engine/read-path.ts';

export interface PreviewRow {
  index: number;
  sourceId: string;
  sourceNumber?: string;
  ok: boolean;
  source: JsonObject;
  payload?: JsonObject;
  errors?: { field: string; message: string; rule?: string }[];
}

/**
 * What each sample record becomes: explode (beatFlat) → map → quality rules, as a run would do it, without
 * calling the target. The same steps as `ferry preview`.
 */
export async function previewRecords(cs: CompiledScheme, records: JsonObject[]): Promise<{ rows: PreviewRow[]; ok: number; withErrors: number }> {
  const s = cs.scheme;
  const rows: PreviewRow[] = [];
  for (const [index, rec] of records.entries()) {
    const id = String(readPath(rec, s.source.id) ?? `#${index}`);
    const num = s.source.number ? readPath(rec, s.source.number) : undefined;
    const base = { index, sourceId: id, ...(num != null ? { sourceNumber: String(num) } : {}) };
    const exploded = cs.explode(rec, id);
    if ('error' in exploded) {
      rows.push({ ...base, ok: false, source: rec, errors: [{ field: s.source.beatFlat ?? '', message: exploded.error }] });
      continue;
    }
    for (const line of exploded) {
      const m = await cs.map(line.data);
      if (!m.ok) {
        rows.push({ ...base, sourceId: line.id, ok: false, source: line.data, errors: m.errors.map((e) => ({ field: e.path, message: e.message })) });
        continue;
      }
      const issues = await cs.checkQuality(m.value);
      rows.push({
        ...base,
        sourceId: line.id,
        ok: issues.length === 0,
        source: line.data,
        payload: m.value,
        ...(issues.length ? { errors: issues.map((i) => ({ field: i.field, message: i.message, rule: i.rule })) } : {}),
      });
    }
  }
  return { rows, ok: rows.filter((r) => r.ok).length, withErrors: rows.filter((r) => !r.ok).length };
}
