import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore, SqliteAlertStore, type AlertChannel, type AlertRule, type AlertStore } from '../src/server/alerts/index.ts';
import type { AlertHistoryEntry } from '../src/server/alerts/types.ts';
import { startWebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { counts, fakeClock, finished, started, testCipher } from '../src/server/alerts/testing/fixtures.ts';

/** One contract suite for both AlertStore implementations. */
const SECRET = 'SECstore-secret-value-123';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-alerts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rule = (id: string, createdAt: number): AlertRule => ({
  id, type: 'run_failed', name: id, enabled: true, schemes: 'all', channels: ['c1'], severity: 'warning', silenceMinutes: 60, notifyResolved: false, statuses: ['failed', 'aborted'], createdAt, updatedAt: createdAt,
});
const channel: AlertChannel = {
  id: 'c1', type: 'dingtalk', name: '钉钉', enabled: true, createdAt: 1, updatedAt: 1,
  config: { webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=tok-0001', secret: SECRET, format: 'markdown', atAll: false },
};
const entry = (id: string, at: number, over: Partial<AlertHistoryEntry> = {}): AlertHistoryEntry => ({
  id, at, status: 'sent', state: 'firing', alertId: `a-${id}`, ruleId: 'r1', ruleName: 'r1', ruleType: 'run_failed', severity: 'warning', scheme: 'shops', runId: 'run', key: 'r1|shops|run',
  channelId: 'c1', channelName: '钉钉', channelType: 'dingtalk', attempts: 1, error: null, title: 't', text: 'x', ...over,
});

const stores: [string, () => { store: AlertStore; rawDump: () => string }][] = [
  ['memory', () => {
    const store = new MemoryAlertStore(testCipher);
    return { store, rawDump: () => JSON.stringify([...store.sealedChannels.values()]) };
  }],
  ['sqlite', () => {
    const file = join(dir, 'ferry.db');
    const db = new Database(file);
    return { store: new SqliteAlertStore(db, testCipher), rawDump: () => (db.close(), readFileSync(file).toString('latin1')) };
  }],
];

describe.each(stores)('%s AlertStore', (_name, make) => {
  it('round-trips rules, channels (secrets sealed at rest), incidents and silences', async () => {
    const { store, rawDump } = make();
    await store.putRule(rule('r2', 2));
    await store.putRule(rule('r1', 1));
    await store.putRule({ ...rule('r2', 2), name: 'renamed', updatedAt: 3 });
    expect((await store.listRules()).map((r) => [r.id, r.name])).toEqual([['r1', 'r1'], ['r2', 'renamed']]);
    expect(await store.deleteRule('r1')).toBe(true);
    expect(await store.deleteRule('r1')).toBe(false);

    await store.putChannel(channel);
    expect(await store.getChannel('c1')).toEqual(channel);
    expect(await store.listChannels()).toEqual([channel]);

    const inc = { key: 'k', ruleId: 'r2', scheme: null, conditionKey: 'run', openedAt: 1, lastSeenAt: 2, lastSentAt: 1, lastOccurrence: 'x', occurrences: 1, suppressed: 0, resolvedAt: null };
    await store.putIncident(inc);
    await store.putIncident({ ...inc, key: 'k2', resolvedAt: 5 });
    expect((await store.listIncidents({ open: true })).map((i) => i.key)).toEqual(['k']);
    expect((await store.listIncidents({ open: false })).map((i) => i.key)).toEqual(['k2']);
    expect(await store.getIncident('k')).toEqual(inc);

    const sil = { id: 's1', ruleId: null, scheme: 'shops', until: 10, reason: 'maintenance', createdAt: 1, createdBy: 'admin' };
    await store.putSilence(sil);
    expect(await store.listSilences()).toEqual([sil]);
    expect(await store.deleteSilence('s1')).toBe(true);
    expect(await store.listSilences()).toEqual([]);

    const raw = rawDump();
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain('tok-0001');
  });

  it('lists history newest first with filters, paging and pruning', async () => {
    const { store } = make();
    await store.appendHistory(entry('h1', 100));
    await store.appendHistory(entry('h2', 200, { status: 'suppressed', channelId: null }));
    await store.appendHistory(entry('h3', 200, { scheme: 'orders', ruleId: 'r2' }));
    await store.appendHistory(entry('h4', 300, { status: 'failed', error: 'HTTP 500' }));
    expect((await store.listHistory({})).map((h) => h.id)).toEqual(['h4', 'h3', 'h2', 'h1']);
    expect((await store.listHistory({ limit: 2, offset: 1 })).map((h) => h.id)).toEqual(['h3', 'h2']);
    expect((await store.listHistory({ status: 'suppressed' })).map((h) => h.id)).toEqual(['h2']);
    expect((await store.listHistory({ scheme: 'orders' })).map((h) => h.id)).toEqual(['h3']);
    expect((await store.listHistory({ ruleId: 'r1', since: 150 })).map((h) => h.id)).toEqual(['h4', 'h2']);
    expect((await store.listHistory({ channelId: 'c1' })).map((h) => h.id)).toEqual(['h4', 'h3', 'h1']);
    expect(await store.pruneHistory(200)).toBe(1);
    expect((await store.listHistory({})).map((h) => h.id)).toEqual(['h4', 'h3', 'h2']);
  });
});

describe('SQLite: de-duplication survives a restart', () => {
  it('a second failure after a restart, inside the silence window, is suppressed', async () => {
    const rx = await startWebhookReceiver();
    const file = join(dir, 'ferry.db');
    const clock = fakeClock();
    let db = new Database(file);
    let svc = await AlertService.create({ store: new SqliteAlertStore(db, testCipher), clock });
    const ch = await svc.config.createChannel({ type: 'webhook', name: 'rx', config: { url: `${rx.url}/h` } });
    await svc.config.createRule({ type: 'run_failed', name: 'f', channels: [ch.id], silenceMinutes: 60 });
    svc.onRunEvent(started('a', 'shops', clock.now()));
    svc.onRunEvent(finished('a', 'failed', counts({ read: 1 })));
    await svc.close();
    db.close();

    clock.advance(10 * 60_000);
    db = new Database(file);
    svc = await AlertService.create({ store: new SqliteAlertStore(db, testCipher), clock });
    expect(svc.config.listRules()).toHaveLength(1);
    svc.onRunEvent(started('b', 'shops', clock.now()));
    svc.onRunEvent(finished('b', 'failed', counts({ read: 1 })));
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    expect((await svc.config.listHistory({})).map((h) => h.status)).toEqual(['suppressed', 'sent']);
    await svc.close();
    db.close();
    await rx.close();
  });
});
