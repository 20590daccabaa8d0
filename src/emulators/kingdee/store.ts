import type { FormDef } from './forms.ts';

/**
 * Records of one form, kept small enough for a million customers: one plain object per record, the
 * fields as sent (references interned and shared), times as seconds since 2020-01-01 (small integers
 * V8 stores inline). Ids grow from a per-form base; numbers are unique case-insensitively (SQL Server's
 * default collation is case-insensitive).
 */

export interface StoredRecord {
  id: number;
  number: string;
  /** DocumentStatus: Z draft, A created, B submitted, C audited, D re-audit (reference §5). */
  status: string;
  /** ForbidStatus: A enabled, B forbidden. */
  forbid: string;
  created: number;
  modified: number;
  fields: Record<string, unknown>;
}

const EPOCH_BASE_MS = Date.UTC(2020, 0, 1);

export function toStoredTime(ms: number): number {
  return Math.floor((ms - EPOCH_BASE_MS) / 1000);
}

/** `yyyy-MM-ddTHH:mm:ss` in server local time (the query date format, reference §4). */
export function storedTimeText(t: number, tzOffsetMinutes: number): string {
  return new Date(EPOCH_BASE_MS + t * 1000 + tzOffsetMinutes * 60_000).toISOString().slice(0, 19);
}

export class FormStore {
  private readonly byId = new Map<number, StoredRecord>();
  private readonly byNumber = new Map<string, number>();
  private nextId: number;
  private numberSeq = 0;
  private entrySeq: number;

  constructor(
    readonly form: FormDef,
    firstId: number,
  ) {
    this.nextId = firstId;
    this.entrySeq = firstId * 10;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): StoredRecord | undefined {
    return this.byId.get(id);
  }

  getByNumber(number: string): StoredRecord | undefined {
    const id = this.byNumber.get(number.toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  values(): IterableIterator<StoredRecord> {
    return this.byId.values();
  }

  insert(number: string, fields: Record<string, unknown>, status: string, nowMs: number): StoredRecord {
    const t = toStoredTime(nowMs);
    const rec: StoredRecord = { id: this.nextId++, number, status, forbid: 'A', created: t, modified: t, fields };
    this.byId.set(rec.id, rec);
    this.byNumber.set(number.toLowerCase(), rec.id);
    return rec;
  }

  renumber(rec: StoredRecord, number: string): void {
    this.byNumber.delete(rec.number.toLowerCase());
    rec.number = number;
    this.byNumber.set(number.toLowerCase(), rec.id);
  }

  touch(rec: StoredRecord, nowMs: number): void {
    rec.modified = toStoredTime(nowMs);
  }

  delete(rec: StoredRecord): void {
    this.byId.delete(rec.id);
    this.byNumber.delete(rec.number.toLowerCase());
  }

  /** A number from the form's coding rule, for new records sent without one. */
  generateNumber(): string {
    for (;;) {
      const n = `${this.form.numberPrefix}${String(++this.numberSeq).padStart(6, '0')}`;
      if (!this.byNumber.has(n.toLowerCase())) return n;
    }
  }

  nextEntryId(): number {
    return ++this.entrySeq;
  }

  /** Puts back a record saved by a snapshot, keeping its id. */
  restore(rec: StoredRecord): void {
    this.byId.set(rec.id, rec);
    this.byNumber.set(rec.number.toLowerCase(), rec.id);
    if (rec.id >= this.nextId) this.nextId = rec.id + 1;
  }

  clear(): void {
    this.byId.clear();
    this.byNumber.clear();
  }
}
