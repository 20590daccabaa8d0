/**
 * A record travels as an envelope: where it came from (`ref`) and its data.
 * Every error and every rejected record carries the `ref`, so a user can always find the record.
 */
export interface RecordRef {
  /** Scheme name. */
  scheme: string;
  /** Source API the record was read from, e.g. `wdt.shop.query`. */
  api: string;
  /** Page (or window/page) label the record came from, for messages. */
  page: string;
  /** Index of the record within its page. */
  index: number;
  /** The record's id in the source system (the scheme's `id` key), as text. */
  sourceId: string;
  /** The record's business number in the source system (the scheme's `number` key), when it has one. */
  sourceNumber?: string;
}

export type JsonObject = Record<string, unknown>;

export interface Envelope<T = JsonObject> {
  ref: RecordRef;
  data: T;
}

/** Short human label for a record: `shop_no S001 (id 17)`. */
export function describeRef(ref: RecordRef): string {
  const num = ref.sourceNumber ? `number ${ref.sourceNumber}, ` : '';
  return `record ${num}id ${ref.sourceId} (${ref.api} page ${ref.page} #${ref.index})`;
}
