import type { ExistingRecord } from '../../core/contracts/platform.ts';
import { FerryFailure } from '../../core/errors.ts';
import type { HttpClient } from './client.ts';
import type { ErrorRule } from './error-table.ts';
import { getPath, scalarText } from './json-path.ts';
import { addQuery, fillPath } from './request-parts.ts';
import type { HttpLookup } from './write-options.ts';

/**
 * Finds existing target records by business number with a configured GET: `{number}` in the path means
 * one call per number (a 404 = does not exist), `{numbers}` one call per chunk with the numbers joined,
 * neither = the numbers in a query parameter. Records whose number is not among those asked are ignored.
 */
export async function lookupExisting(
  client: HttpClient,
  l: HttpLookup,
  numberField: string | undefined,
  numbers: string[],
  rules: readonly ErrorRule[],
  signal: AbortSignal,
): Promise<Map<string, ExistingRecord>> {
  const found = new Map<string, ExistingRecord>();
  const wanted = new Set(numbers);
  const numberPath = l.numberPath ?? numberField ?? 'number';
  const one = l.api.includes('{number}');
  const chunks: string[][] = [];
  for (let i = 0; i < numbers.length; i += one ? 1 : l.batchSize) chunks.push(numbers.slice(i, i + (one ? 1 : l.batchSize)));
  for (const chunk of chunks) {
    const joined = l.separator === null ? chunk[0]! : chunk.join(l.separator);
    const { path } = fillPath(l.api, { number: chunk[0], numbers: joined }, 'value', false);
    const url = client.resolve(path);
    if (!one && !l.api.includes('{numbers}')) addQuery(url, { [l.numbersParam]: l.separator === null ? chunk : joined });
    const ex = await client.exchange({ api: l.api, method: l.method, url, direction: 'read', rules, signal });
    if (ex.reply.status === 404) continue;
    if (ex.problem) throw new FerryFailure(ex.problem);
    const body = getPath(ex.reply.json, l.recordsPath);
    const list = Array.isArray(body) ? body : one && body !== null && typeof body === 'object' ? [body] : [];
    for (const r of list) {
      const number = scalarText(getPath(r, numberPath));
      const id = scalarText(getPath(r, l.idPath));
      if (number !== undefined && id !== undefined && wanted.has(number)) found.set(number, { id, number });
    }
  }
  return found;
}
