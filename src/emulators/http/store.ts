/**
 * The emulator's data: named collections of JSON records with numeric ids, kept in id order, with a
 * unique business number (`number` by default) so writes upsert like a real master-data API.
 */

export type Row = Record<string, unknown>;

export class Collection {
  private readonly rows: Row[] = [];
  private readonly byId = new Map<number, Row>();
  private readonly byNumber = new Map<string, Row>();
  private nextId = 1;

  constructor(
    readonly name: string,
    private readonly uniqueField: string,
  ) {}

  get size(): number {
    return this.rows.length;
  }

  all(): readonly Row[] {
    return this.rows;
  }

  get(id: number): Row | undefined {
    return this.byId.get(id);
  }

  findByNumber(n: string): Row | undefined {
    return this.byNumber.get(n);
  }

  /** Inserts, or updates the record with the same unique number. Returns the stored record and whether it is new. */
  upsert(row: Row, now: number): { row: Row; created: boolean } {
    const n = row[this.uniqueField];
    const existing = n !== undefined && n !== null && n !== '' ? this.byNumber.get(String(n)) : undefined;
    if (existing) {
      Object.assign(existing, row, { id: existing.id, updated_at: new Date(now).toISOString() });
      return { row: existing, created: false };
    }
    return { row: this.insert(row, now), created: true };
  }

  insert(row: Row, now: number): Row {
    const id = typeof row.id === 'number' && !this.byId.has(row.id) ? row.id : this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    const stored: Row = { ...row, id, updated_at: row.updated_at ?? new Date(now).toISOString() };
    this.rows.push(stored);
    if (this.rows.length > 1 && (this.rows.at(-2)!.id as number) > id) this.rows.sort((a, b) => (a.id as number) - (b.id as number));
    this.byId.set(id, stored);
    const n = stored[this.uniqueField];
    if (n !== undefined && n !== null && n !== '') this.byNumber.set(String(n), stored);
    return stored;
  }

  update(id: number, patch: Row, now: number): Row | undefined {
    const row = this.byId.get(id);
    if (!row) return undefined;
    const oldNumber = row[this.uniqueField];
    Object.assign(row, patch, { id, updated_at: new Date(now).toISOString() });
    const n = row[this.uniqueField];
    if (oldNumber !== n) {
      if (oldNumber !== undefined) this.byNumber.delete(String(oldNumber));
      if (n !== undefined && n !== null && n !== '') this.byNumber.set(String(n), row);
    }
    return row;
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so seeded collections are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const STATUSES = ['paid', 'shipped', 'done'];

/**
 * `count` generated records for a collection: `orders` look like sales orders (number SO000001, customer,
 * amount, lines); any other name gets customer-like records (number, name). `updated_at` rises one minute
 * per record from `start`, so incremental windows select predictable slices.
 */
export function generate(name: string, count: number, start: number): Row[] {
  const rand = rng(name.length * 7919 + count);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const out: Row[] = [];
  for (let i = 1; i <= count; i++) {
    const updated_at = new Date(start + (i - 1) * 60_000).toISOString();
    if (name === 'orders') {
      const c = 1 + Math.floor(rand() * 500);
      const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, j) => ({ sku: `SKU${pad(1 + ((i + j) % 97), 3)}`, qty: 1 + Math.floor(rand() * 5), price: Math.round(rand() * 10000) / 100 }));
      out.push({
        id: i,
        number: `SO${pad(i, 6)}`,
        customer_no: `C${pad(c, 4)}`,
        customer_name: `${SURNAMES[c % SURNAMES.length]}客户${c}`,
        amount: Math.round(lines.reduce((s, l) => s + l.qty * l.price, 0) * 100) / 100,
        status: STATUSES[i % STATUSES.length],
        lines,
        updated_at,
      });
    } else {
      out.push({ id: i, number: `${name.slice(0, 1).toUpperCase()}${pad(i, 5)}`, name: `${SURNAMES[i % SURNAMES.length]}${name}${i}`, updated_at });
    }
  }
  return out;
}
