import { ORG_TABLE } from './forms.ts';

/**
 * Base data the emulator resolves references against (`{"FNumber": "100"}` → an existing record).
 * Organisations are always checked; the other tables only when IsVerifyBaseDataField is on (reference §2).
 * BD_Customer is resolved from the emulator's own customer store.
 */

export interface BaseDataEntry {
  id: number;
  number: string;
  name: string;
}

export interface NamedNumber {
  number: string;
  name?: string;
}

export interface BaseDataOptions {
  /** Organisations that exist (default `100` 总公司, `101` 分公司). */
  orgs?: (string | NamedNumber)[];
  currencies?: (string | NamedNumber)[];
  materials?: (string | NamedNumber)[];
  units?: (string | NamedNumber)[];
  stocks?: (string | NamedNumber)[];
  billTypes?: (string | NamedNumber)[];
}

const DEFAULTS: Required<BaseDataOptions> = {
  orgs: [
    { number: '100', name: '总公司' },
    { number: '101', name: '分公司' },
  ],
  currencies: [
    { number: 'PRE001', name: '人民币' },
    { number: 'PRE002', name: '香港元' },
    { number: 'PRE003', name: '欧元' },
    { number: 'PRE007', name: '美元' },
  ],
  materials: [
    { number: 'M001', name: '演示物料一' },
    { number: 'M002', name: '演示物料二' },
    { number: 'M003', name: '演示物料三' },
  ],
  units: [
    { number: 'Pcs', name: 'Pcs' },
    { number: 'kg', name: '千克' },
  ],
  stocks: [
    { number: 'CK001', name: '成品仓' },
    { number: 'CK002', name: '原料仓' },
  ],
  billTypes: [{ number: 'XSCKD01_SYS', name: '标准销售出库单' }],
};

type Lookup = (table: string, number: string) => BaseDataEntry | undefined;

export class BaseData {
  private readonly tables = new Map<string, Map<string, BaseDataEntry>>();

  constructor(
    opts: BaseDataOptions,
    private readonly dynamic: Lookup,
  ) {
    const add = (table: string, list: (string | NamedNumber)[], firstId: number) => {
      const m = new Map<string, BaseDataEntry>();
      list.forEach((x, i) => {
        const n = typeof x === 'string' ? { number: x } : x;
        m.set(n.number.toLowerCase(), { id: i === 0 && table === ORG_TABLE ? 1 : firstId + i, number: n.number, name: n.name ?? n.number });
      });
      this.tables.set(table.toLowerCase(), m);
    };
    add(ORG_TABLE, opts.orgs ?? DEFAULTS.orgs, 100000);
    add('BD_Currency', opts.currencies ?? DEFAULTS.currencies, 1);
    add('BD_MATERIAL', opts.materials ?? DEFAULTS.materials, 200000);
    add('BD_UNIT', opts.units ?? DEFAULTS.units, 10);
    add('BD_STOCK', opts.stocks ?? DEFAULTS.stocks, 300000);
    add('BD_BillType', opts.billTypes ?? DEFAULTS.billTypes, 400000);
  }

  /** Tables the emulator can check; references to other tables are accepted as sent. */
  knows(table: string): boolean {
    return this.tables.has(table.toLowerCase()) || table.toLowerCase() === 'bd_customer';
  }

  resolve(table: string, number: string): BaseDataEntry | undefined {
    const t = this.tables.get(table.toLowerCase());
    if (t) return t.get(number.toLowerCase());
    return this.dynamic(table, number);
  }

  orgs(): BaseDataEntry[] {
    return [...(this.tables.get(ORG_TABLE.toLowerCase())?.values() ?? [])];
  }
}
