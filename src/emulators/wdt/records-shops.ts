import type { DatasetDef, Filters, Rec } from './dataset.ts';
import { formatBeijing } from './beijing-time.ts';
import { BRANDS, CATEGORIES, PLATFORMS, REGIONS, SHOP_KINDS, STREETS } from './china-data.ts';
import { intBelow, pick } from './prng.ts';
import { mobile, pad, personName, spreadTime, type World } from './world.ts';

/**
 * Shops (shop.php / wdt.shop.query, wdt-api.md §3). Every 50th shop is disabled (hidden unless
 * is_disabled=1 is asked); every 97th has a Chinese shop_no; `remark` holds an org number from `orgNumbers`.
 */

export function shopNo(i: number): string {
  return i % 97 === 13 ? `店铺${pad(i + 1, 6)}` : `SHOP${pad(i + 1, 6)}`;
}

export function shopDisabled(i: number): boolean {
  return i % 50 === 49;
}

export function shopPlatform(w: World, i: number): { id: number; nick: string } {
  return pick(w.seed, i, 'shop.platform', PLATFORMS);
}

export function shopName(w: World, i: number): string {
  const region = pick(w.seed, i, 'shop.region', REGIONS);
  return `${region.city.replace(/市$/, '')}${pick(w.seed, i, 'shop.brand', BRANDS)}${pick(w.seed, i, 'shop.cat', CATEGORIES)}${pick(w.seed, i, 'shop.kind', SHOP_KINDS)}`;
}

function generateShop(w: World, i: number): Rec {
  const s = w.seed;
  const region = pick(s, i, 'shop.region', REGIONS);
  const platform = shopPlatform(w, i);
  const modified = spreadTime(w, i, w.shops);
  const brand = pick(s, i, 'shop.brand', BRANDS);
  return {
    platform_id: platform.id,
    sub_platform_id: platform.id === 1 ? intBelow(s, i, 'shop.sub', 2) : 0,
    shop_id: i + 1,
    shop_no: shopNo(i),
    shop_name: shopName(w, i),
    account_id: 100000 + i,
    account_nick: `${brand}${platform.nick}店`,
    province: region.province,
    city: region.city,
    district: pick(s, i, 'shop.district', region.districts),
    address: `${pick(s, i, 'shop.street', STREETS)}${1 + intBelow(s, i, 'shop.no', 999)}号`,
    contact: personName(s, i, 'shop.contact'),
    zip: region.zip,
    mobile: mobile(s, i, 'shop.mobile'),
    telno: `0${400 + intBelow(s, i, 'shop.area', 500)}-${pad(intBelow(s, i, 'shop.tel', 1e8), 8)}`,
    email: `shop${i + 1}@example.com`,
    remark: w.orgNumbers.length > 0 ? w.orgNumbers[i % w.orgNumbers.length] : '',
    website: '',
    group_id: intBelow(s, i, 'shop.group', 5),
    is_disabled: shopDisabled(i) ? 1 : 0,
    created: formatBeijing(modified - (1 + intBelow(s, i, 'shop.age', 700)) * 86_400_000),
    modified: formatBeijing(modified),
  };
}

function matches(f: Filters, get: { disabled: boolean; shopNo: string; platformId: number }): boolean {
  const wantDisabled = f.is_disabled === '1';
  if (get.disabled !== wantDisabled) return false;
  if (f.shop_no !== undefined && f.shop_no !== get.shopNo) return false;
  const platform = f.platform_id ?? f.platform;
  if (platform !== undefined && Number(platform) !== get.platformId) return false;
  if (f.platform_ids !== undefined && !f.platform_ids.split(',').map(Number).includes(get.platformId)) return false;
  return true;
}

export function shopsDef(w: World): DatasetDef {
  return {
    name: 'shops',
    idKey: 'shop_id',
    count: w.shops,
    baseTime: { modified: (i) => spreadTime(w, i, w.shops) },
    generate: (i) => generateShop(w, i),
    matchIndex: (i, f) => matches(f, { disabled: shopDisabled(i), shopNo: shopNo(i), platformId: shopPlatform(w, i).id }),
    matchRecord: (r, f) =>
      matches(f, {
        disabled: String(r.is_disabled) === '1' || r.is_disabled === true,
        shopNo: String(r.shop_no),
        platformId: Number(r.platform_id),
      }),
  };
}
