import type { Cursor, ReadSpec, SourcePage, SourceSession } from '../../core/contracts/platform.ts';
import { FerryFailure } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import type { KingdeeClient } from './client.ts';
import { fieldOf, issuesText, KNOWN_ID_KEYS } from './form-target.ts';
import { KingdeeReadOptions, readFieldKeys } from './options.ts';
import { asInt, asText } from './parse.ts';
import { MAX_QUERY_LIMIT, queryRows } from './query.ts';

/**
 * Kingdee as a source: ReadSpec.api is the FormId, ReadSpec.extra holds FieldKeys (string or array),
 * FilterString, OrderString, optional TopRowCount (a cap on the whole read), and for incremental reads
 * `modifiedField` (e.g. FModifyDate) with `timeZoneOffsetMinutes` (server local time, default +480, China).
 * Records are objects keyed by field key. The cursor is `{startRow}`, moved by the rows actually answered.
 *
 * End of the read: only an empty page (or the scheme's TopRowCount) ends it. Kingdee documents no total and
 * no has-more flag, and a short page is no proof of the end: older K3Cloud versions cap `Limit` at 2000
 * whatever is asked (kingdee-webapi.md "inconvenient behaviours"), and data permissions can filter rows
 * silently (§6). One more call per read is the price of never stopping early.
 */

export function openKingdeeSource(client: KingdeeClient): SourceSession {
  return {
    first: () => ({ startRow: 0 }),
    async fetchPage(spec: ReadSpec, cursor: Cursor, signal: AbortSignal): Promise<SourcePage> {
      // The schema `ferry validate` checks the scheme's source with.
      const checked = KingdeeReadOptions.safeParse(spec);
      if (!checked.success) {
        throw new FerryFailure({
          kind: 'config',
          action: 'fail_run',
          message: `Kingdee connection "${client.ctx.connection}": the source ${spec.api}: ${issuesText(checked.error)} (e.g. extra.FieldKeys "FNumber,FName").`,
        });
      }
      const extra = checked.data.extra as JsonObject;
      const fieldKeys = readFieldKeys(extra.FieldKeys);
      const startRow = asInt(cursor.startRow) ?? 0;
      const cap = asInt(fieldOf(extra, 'TopRowCount'));
      const pageSize = Math.max(1, Math.min(spec.pageSize, MAX_QUERY_LIMIT));
      const limit = cap && cap > 0 ? Math.min(pageSize, cap - startRow) : pageSize;
      const windowLabel = spec.window ? `${spec.window.start.toISOString()}/` : '';
      if (limit <= 0) return { records: [], next: null, label: `${windowLabel}rows ${startRow + 1}-` };

      const idKey = asText(extra.idKey) ?? KNOWN_ID_KEYS[spec.api.toUpperCase()];
      const label = { connection: client.ctx.connection, formId: spec.api, operation: 'ExecuteBillQuery', batch: `rows from ${startRow + 1}` };
      const rows = await queryRows(
        client,
        {
          formId: spec.api,
          fieldKeys,
          filterString: filterOf(spec, extra),
          // A stable order keeps StartRow paging from skipping or repeating rows.
          orderString: asText(fieldOf(extra, 'OrderString')) || (idKey ? `${idKey} ASC` : undefined),
          startRow,
          limit,
          extraData: spec.params,
        },
        label,
        signal,
      );
      if (rows.length > limit)
        throw new FerryFailure({
          kind: 'bad_response',
          action: 'fail_run',
          message: `Kingdee connection "${client.ctx.connection}": ${spec.api} ExecuteBillQuery rows from ${startRow + 1}: the answer holds ${rows.length} rows though Limit ${limit} was asked for; ferry refuses the page rather than trust its paging.`,
        });
      const records = rows.map((row) => {
        const rec: JsonObject = {};
        fieldKeys.forEach((k, i) => (rec[k] = row[i] ?? null));
        return rec;
      });
      const nextRow = startRow + rows.length;
      const done = rows.length === 0 || (cap !== undefined && cap > 0 && nextRow >= cap);
      return {
        records,
        next: done ? null : { startRow: nextRow },
        label: `${windowLabel}rows ${startRow + 1}-${startRow + rows.length}`,
      };
    },
    close: () => client.close(),
  };
}


function filterOf(spec: ReadSpec, extra: JsonObject): string | undefined {
  const parts: string[] = [];
  const base = asText(fieldOf(extra, 'FilterString'))?.trim();
  if (base) parts.push(`(${base})`);
  const field = asText(extra.modifiedField);
  if (spec.window && field) {
    const offset = asInt(extra.timeZoneOffsetMinutes) ?? 480;
    parts.push(`${field} >= '${localTime(spec.window.start, offset)}' and ${field} < '${localTime(spec.window.end, offset)}'`);
  }
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** `yyyy-MM-dd HH:mm:ss` in the server's local time. */
export function localTime(d: Date, offsetMinutes: number): string {
  return new Date(d.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}
