import { describe, expect, it } from 'vitest';
import { formatTime, renderAlert } from './render.ts';
import type { Alert } from './types.ts';

const alert: Alert = {
  id: 'a1', state: 'firing', ruleId: 'r1', ruleName: '同步失败', ruleType: 'run_failed', severity: 'critical', scheme: '店铺同步客户', runId: '20250106-x1',
  key: 'r1|店铺同步客户|run', at: Date.UTC(2025, 0, 6, 1, 2, 3),
  facts: { type: 'run_failed', status: 'failed', counts: { read: 120, skipped: 2, created: 100, updated: 5, rejected: 12, failed: 1, invalid: 3, pages: 2, apiCalls: 9, retries: 0 }, reason: 'Kingdee 500\nthree times', durationMs: 3_725_000 },
  link: 'http://c/runs/20250106-x1',
};

describe('renderAlert', () => {
  it('zh-CN: title, counts, reason on one line, duration, Beijing time and link', () => {
    const m = renderAlert(alert, { language: 'zh-CN' });
    expect(m.title).toBe('[ferry] 运行失败 · 店铺同步客户');
    expect(m.text.split('\n')).toEqual([
      '[ferry] 运行失败 · 店铺同步客户',
      '规则: 同步失败',
      '级别: 严重',
      '方案: 店铺同步客户',
      '运行: 20250106-x1',
      '状态: 失败',
      '原因: Kingdee 500 three times',
      '记录: 读取 120 · 新增 100 · 更新 5 · 跳过 2 · 拒绝 12 · 失败 1',
      '耗时: 1小时2分5秒',
      '时间: 2025-01-06 09:02:03 GMT+8',
      '查看运行: http://c/runs/20250106-x1',
    ]);
    expect(m.markdown.startsWith('### [ferry] 运行失败 · 店铺同步客户\n\n**规则**: 同步失败\n\n')).toBe(true);
    expect(m.markdown.endsWith('[查看运行](http://c/runs/20250106-x1)')).toBe(true);
    expect(m.markdownBody).not.toContain('###');
  });

  it('en and resolved', () => {
    const m = renderAlert({ ...alert, state: 'resolved', facts: { type: 'resolved' } }, { language: 'en', timeZone: 'UTC' });
    expect(m.title).toBe('[ferry] Resolved · Run failed · 店铺同步客户');
    expect(m.text).toContain('State: Resolved');
    expect(m.text).toContain('Time: 2025-01-06 01:02:03 GMT');
    expect(m.linkLabel).toBe('Open run');
  });

  it('formatTime falls back to ISO for an unknown zone', () => {
    expect(formatTime(0, 'Not/AZone')).toBe('1970-01-01T00:00:00.000Z');
  });
});
