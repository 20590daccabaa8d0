import type { DatasetDef } from './dataset.ts';
import { formatBeijing } from './beijing-time.ts';
import { WAREHOUSES } from './china-data.ts';
import { pad, type World } from './world.ts';

/** Warehouses (warehouse_query.php / wdt.warehouse.query): a small fixed list, list key `warehouses`. */
export function warehousesDef(w: World): DatasetDef {
  return {
    name: 'warehouses',
    idKey: 'warehouse_id',
    count: WAREHOUSES.length,
    baseTime: { modified: () => w.dataStartMs },
    generate: (i) => ({
      warehouse_id: i + 1,
      warehouse_no: WAREHOUSES[i]?.warehouse_no ?? `WH${pad(i + 1, 3)}`,
      name: WAREHOUSES[i]?.name ?? `仓库${i + 1}`,
      type: 1,
      is_disabled: 0,
      modified: formatBeijing(w.dataStartMs),
    }),
    matchRecord: (r, f) =>
      (f.warehouse_no === undefined || r.warehouse_no === f.warehouse_no) &&
      String(r.is_disabled) === (f.is_disabled ?? '0'),
  };
}
