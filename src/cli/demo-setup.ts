import { join } from 'node:path';
import { startKingdeeEmulator, type KingdeeEmulator, type KingdeeEmulatorOptions } from '../emulators/kingdee/index.ts';
import { GOODS, WAREHOUSES, startWdtEmulator, type WdtEmulator, type WdtEmulatorOptions } from '../emulators/wdt/index.ts';

export interface DemoEnvironment {
  wdt: WdtEmulator;
  kingdee: KingdeeEmulator;
  /** A connections document naming `wdt` (Qimen) and `kingdee` (signed headers), as the example scheme expects. */
  connections: Record<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Starts both emulators in-process on free ports, with data the seed scheme can move without rejections
 * (every shop's remark is an organisation the Kingdee emulator knows).
 */
export async function startDemoEnvironment(o: {
  shops: number;
  dir?: string;
  wdt?: Partial<WdtEmulatorOptions>;
  kingdee?: Partial<KingdeeEmulatorOptions>;
  transport?: 'qimen' | 'openapi';
}): Promise<DemoEnvironment> {
  const orgs = ['100', '101'];
  const wdt = await startWdtEmulator({ shops: o.shops, seed: 'ferry-demo', orgNumbers: orgs, ...o.wdt });
  // The Kingdee side already knows WDT's goods as materials and its warehouses as stocks, as after a
  // material and warehouse sync, so stockout bills can be written with their lines.
  const baseData = {
    materials: GOODS.map((g) => ({ number: g.goods_no, name: g.goods_name })),
    stocks: WAREHOUSES.map((w) => ({ number: w.warehouse_no, name: w.name })),
  };
  const kingdee = await startKingdeeEmulator({ orgs, baseData, ...(o.dir ? { dataFile: join(o.dir, 'kingdee-emulator.json') } : {}), ...o.kingdee });
  const a = wdt.accounts[0]!;
  const q = wdt.qimenApps[0]!;
  const c = kingdee.credentials;
  // The local emulator has no vendor budget to protect: lift WDT's default account limit (10 calls/s).
  const rateLimit = { perSecond: 1000, burst: 100 };
  const wdtConn =
    o.transport === 'openapi'
      ? { platform: 'wdt', transport: 'openapi', baseUrl: wdt.openapiUrl, sid: a.sid, appkey: a.appkey, appsecret: a.appsecret, rateLimit }
      : { platform: 'wdt', transport: 'qimen', baseUrl: wdt.qimenUrl, sid: a.sid, appKey: q.appKey, appSecret: q.appSecret, targetAppKey: wdt.targetAppKey, signMethod: 'md5', rateLimit };
  return {
    wdt,
    kingdee,
    connections: {
      wdt: wdtConn,
      kingdee: { platform: 'kingdee', mode: 'signed', baseUrl: kingdee.url, acctId: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret },
    },
    async close() {
      await wdt.close();
      await kingdee.close();
    },
  };
}
