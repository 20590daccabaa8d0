import type { JsonObject } from '../../core/records.ts';
import { formatBeijingTime } from './beijing-time.ts';

/**
 * Turns a scheme's rendered request params into the flat text params WDT receives.
 * - Empty values (undefined, null, '', empty arrays/objects) are dropped: the official SDK refuses empty
 *   params and signs differ between clients on them (wdt-api.md §1.3, §2.3), so nothing empty is sent.
 * - Booleans become `1`/`0` (WDT flags such as is_disabled are 0/1, §6).
 * - Dates become Beijing time `yyyy-MM-dd HH:mm:ss`.
 * - Nested data (trade_list, goods_list, …) becomes a JSON string with Chinese unescaped (§1.1, §6).
 */
export function toWireParams(params: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const text = wireValue(value);
    if (text !== undefined && text !== '') out[key] = text;
  }
  return out;
}

function wireValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return formatBeijingTime(value); // vendor times are Beijing time (§6)
  if (Array.isArray(value)) return value.length === 0 ? undefined : JSON.stringify(value);
  if (typeof value === 'object') return Object.keys(value).length === 0 ? undefined : JSON.stringify(value);
  return undefined;
}

/** Keys the profile owns: a scheme's value for them is replaced (paging, window, system params). */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'page_no', 'page_size', 'sid', 'appkey', 'timestamp', 'sign', 'method', 'app_key', 'target_app_key',
  'format', 'v', 'sign_method',
]);
