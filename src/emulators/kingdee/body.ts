/**
 * Request decoding (reference §1, §2): the service name from the path (any case), and the arguments from
 * any of the three body forms — named keys (any case), `{"parameters":[…]}`, or the legacy C# envelope whose
 * `parameters` is a JSON string. `data` may be an object or a JSON string.
 */

export type ArgsResult = { ok: true; args: Map<string, unknown> } | { ok: false; message: string };

/** Parameter names of each service, in positional order (lower case). */
export const SERVICE_PARAMS: Record<string, string[]> = {
  validateuser: ['acctid', 'username', 'password', 'lcid'],
  loginbyappsecret: ['acctid', 'username', 'appid', 'appsecret', 'lcid'],
  loginbysign: ['acctid', 'username', 'appid', 'timestamp', 'sign', 'lcid'],
  logout: [],
  save: ['formid', 'data'],
  batchsave: ['formid', 'data'],
  draft: ['formid', 'data'],
  submit: ['formid', 'data'],
  audit: ['formid', 'data'],
  unaudit: ['formid', 'data'],
  delete: ['formid', 'data'],
  view: ['formid', 'data'],
  excuteoperation: ['formid', 'opnumber', 'data'],
  executebillquery: ['data'],
  billquery: ['data'],
};

export const AUTH_SERVICES = new Set(['validateuser', 'loginbyappsecret', 'loginbysign', 'logout']);

export interface ServiceRef {
  /** Lower-case method name, e.g. `batchsave`. */
  method: string;
  /** The stub: `auth` or `form`. */
  stub: 'auth' | 'form';
}

/** `/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc` → {form, batchsave}. */
export function parseServicePath(pathname: string): ServiceRef | undefined {
  const m = /^\/k3cloud\/([^/]+)\.common\.kdsvc$/i.exec(pathname);
  if (!m?.[1]) return undefined;
  const parts = decodeURIComponent(m[1]).toLowerCase().split('.');
  const method = parts.pop() ?? '';
  const stubName = parts.pop() ?? '';
  if (stubName === 'authservice') return { method, stub: 'auth' };
  if (stubName === 'dynamicformservice') return { method, stub: 'form' };
  return undefined;
}

export function decodeArgs(body: unknown, names: string[]): ArgsResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return names.length === 0 ? { ok: true, args: new Map() } : { ok: false, message: '请求体必须是 JSON 对象' };
  }
  const lower = new Map<string, unknown>();
  for (const [k, v] of Object.entries(body)) lower.set(k.toLowerCase(), v);
  const args = new Map<string, unknown>();
  if (lower.has('parameters')) {
    let p = lower.get('parameters');
    if (typeof p === 'string') {
      try {
        p = JSON.parse(p);
      } catch {
        return { ok: false, message: 'parameters 不是合法的 JSON 数组' };
      }
    }
    if (!Array.isArray(p)) return { ok: false, message: 'parameters 必须是数组' };
    names.forEach((n, i) => args.set(n, p[i]));
  } else {
    for (const n of names) args.set(n, lower.get(n));
  }
  const data = args.get('data');
  if (typeof data === 'string') {
    try {
      args.set('data', data.trim() === '' ? {} : JSON.parse(data));
    } catch {
      return { ok: false, message: 'data 不是合法的 JSON' };
    }
  }
  return { ok: true, args };
}

/** Documented booleans arrive as true/false or "true"/"false" (reference §2). */
export function truthy(v: unknown, dflt: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return dflt;
}

/** Value of a key of a plain object, any case. */
export function pick(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const o = obj as Record<string, unknown>;
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}
