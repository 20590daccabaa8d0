import { FerryFailure } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';

/**
 * Builds request parts from scheme metadata: `{name}` placeholders in a path template are filled from
 * the parameters (and removed from them), the rest goes to the query string or the JSON body.
 */

export function fillPath(template: string, params: JsonObject, what = 'parameter', remove = true): { path: string; rest: JsonObject } {
  const rest: JsonObject = { ...params };
  const path = template.replace(/\{([A-Za-z0-9_.$-]+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined || v === null || v === '')
      throw new FerryFailure({ kind: 'config', action: 'fail_run', message: `the API path "${template}" needs the ${what} "${name}", which is empty` });
    if (remove) delete rest[name];
    return encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v));
  });
  return { path, rest };
}

/** Query encoding: arrays repeat the key, objects travel as JSON text, null/undefined are left out. */
export function addQuery(url: URL, params: JsonObject): void {
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, scalarOrJson(item));
    else url.searchParams.set(k, scalarOrJson(v));
  }
}

function scalarOrJson(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

export function paramsGoToQuery(method: string, paramsIn: 'query' | 'body' | undefined): boolean {
  if (paramsIn) return paramsIn === 'query';
  const m = method.toUpperCase();
  return m === 'GET' || m === 'DELETE' || m === 'HEAD';
}
