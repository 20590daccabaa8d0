import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { JsonObject } from '../../core/records.ts';
import { compileScheme } from '../../engine/compile-scheme.ts';
import { readPath } from '../../engine/read-path.ts';
import { formatProblem, loadSchemeFile } from '../scheme-file.ts';
import { UserError } from '../user-error.ts';
import { displayWidth } from '../text-width.ts';

interface PreviewRow {
  index: number;
  sourceId: string;
  sourceNumber?: string;
  ok: boolean;
  payload?: JsonObject;
  errors?: { field: string; message: string }[];
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('show the target payload each sample record becomes, and each record\'s mapping and quality errors; writes nothing')
    .argument('<scheme>', 'scheme file')
    .requiredOption('-s, --sample <records.json>', 'JSON file: an array of source records (or a vendor response holding one)')
    .option('--json', 'print only JSON')
    .action(async (file: string, o: { sample: string; json?: boolean }) => {
      const scheme = loadSchemeFile(file);
      const compiled = compileScheme(scheme);
      if (!compiled.ok) throw new UserError(compiled.problems.map(formatProblem).join('\n'));
      const cs = compiled.compiled;
      const records = readSample(o.sample, scheme.source.listKey);
      const warnings = cs.templateGaps?.(records, `every record of the sample (${records.length} records)`) ?? [];
      if (!o.json) for (const w of warnings) process.stderr.write(`${file}: warning: ${formatProblem(w)}\n`);
      const rows: PreviewRow[] = [];
      for (const [index, rec] of records.entries()) {
        const id = String(readPath(rec, scheme.source.id) ?? `#${index}`);
        const num = scheme.source.number ? readPath(rec, scheme.source.number) : undefined;
        const exploded = cs.explode(rec, id);
        const lines = 'error' in exploded ? [{ id, data: rec, error: exploded.error }] : exploded;
        for (const line of lines) {
          const base = { index, sourceId: line.id, ...(num != null ? { sourceNumber: String(num) } : {}) };
          if ('error' in line) {
            rows.push({ ...base, ok: false, errors: [{ field: scheme.source.beatFlat ?? '', message: String(line.error) }] });
            continue;
          }
          const m = await cs.map(line.data);
          if (!m.ok) {
            rows.push({ ...base, ok: false, errors: m.errors.map((e) => ({ field: e.path, message: e.message })) });
            continue;
          }
          const issues = await cs.checkQuality(m.value);
          rows.push(issues.length ? { ...base, ok: false, payload: m.value, errors: issues.map((i) => ({ field: i.field, message: `${i.message} [rule ${i.rule}]` })) } : { ...base, ok: true, payload: m.value });
        }
      }
      const summary = { warnings, scheme: scheme.name, target: { api: scheme.target.api, params: cs.writeSpec.params }, records: rows.length, ok: rows.filter((r) => r.ok).length, withErrors: rows.filter((r) => !r.ok).length };
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ ...summary, rows }, null, 2)}\n`);
      } else {
        process.stdout.write(`${printTable(rows, cs.numberField)}\n\n`);
        process.stdout.write(`${JSON.stringify({ ...summary, rows }, null, 2)}\n`);
        process.stdout.write(`\n${summary.ok} of ${summary.records} records map cleanly; ${summary.withErrors} with errors (they would be rejected and kept for replay).\n`);
      }
      process.exitCode = summary.withErrors ? 2 : 0;
    });
}

export function readSample(file: string, listKey?: string): JsonObject[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read sample records from ${file}: ${(e as Error).message}`);
  }
  if (Array.isArray(doc)) return doc as JsonObject[];
  // A captured vendor response: {"shoplist":[…]} or {"response":{"shoplist":[…]}}.
  const inner = (doc as { response?: unknown })?.response ?? doc;
  if (inner && typeof inner === 'object') {
    const key = listKey ?? Object.keys(inner).find((k) => Array.isArray((inner as JsonObject)[k]));
    const list = key ? (inner as JsonObject)[key] : undefined;
    if (Array.isArray(list)) return list as JsonObject[];
  }
  throw new UserError(`${file}: expected a JSON array of source records (or a response object holding one)`);
}

function printTable(rows: PreviewRow[], numberField?: string): string {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.payload ?? {})))];
  const cell = (v: unknown) => {
    const s = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 28 ? `${s.slice(0, 27)}…` : s;
  };
  const header = ['#', 'source', 'status', ...fields];
  const body = rows.map((r) => [String(r.index), r.sourceNumber ?? r.sourceId, r.ok ? 'ok' : 'ERROR', ...fields.map((f) => cell(r.payload?.[f]))]);
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...body.map((b) => displayWidth(b[i] ?? ''))));
  const line = (cols: string[]) => cols.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - displayWidth(c)))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  for (const r of rows.filter((x) => !x.ok)) for (const e of r.errors ?? []) out.push(`  record ${r.sourceNumber ?? r.sourceId}: ${e.message}`);
  void numberField;
  return out.join('\n');
}
