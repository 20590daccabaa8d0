/**
 * Secret redaction: every message, log line and stored response goes through here before it leaves
 * a platform. Given the secret values of a connection, replaces each occurrence with `***`.
 */
export function makeRedactor(secrets: Iterable<string | undefined | null>): (text: string) => string {
  const values = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 3);
  if (values.length === 0) return (t) => t;
  values.sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join('***');
    return out;
  };
}

/** Keys whose values are secrets wherever they appear in logged objects. */
export const SECRET_KEY_PATTERN = /(secret|password|passwd|pwd|token|sign|signature|appsecret|app_secret|authorization|cookie|session)/i;

/** Deep-copies a JSON-like value with secret-looking keys masked. */
export function redactObject<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactObject(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEY_PATTERN.test(k) && v != null && typeof v !== 'object' ? '***' : redactObject(v);
    }
    return out as T;
  }
  return value;
}
