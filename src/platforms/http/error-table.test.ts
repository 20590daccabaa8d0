import { describe, expect, it } from 'vitest';
import { ErrorRule, decide, remoteWords, statusMatches, type Answer } from './error-table.ts';

const ans = (status: number, json: unknown = {}, direction: 'read' | 'write' = 'read'): Answer => ({ status, json, text: JSON.stringify(json), direction });
const rules = (...r: unknown[]) => r.map((x) => ErrorRule.parse(x));

describe('error table', () => {
  it('matches exact statuses, classes and ranges', () => {
    expect(statusMatches(429, 429)).toBe(true);
    expect(statusMatches('5xx', 503)).toBe(true);
    expect(statusMatches('5xx', 499)).toBe(false);
    expect(statusMatches('400-451', 422)).toBe(true);
  });

  it('has sensible defaults by direction', () => {
    expect(decide([], ans(200))).toBeUndefined();
    expect(decide([], ans(429))?.action).toBe('retry_after');
    expect(decide([], ans(503))?.action).toBe('retry');
    expect(decide([], ans(401))?.action).toBe('fail_run');
    expect(decide([], ans(403, {}, 'write'))?.action).toBe('fail_run');
    expect(decide([], ans(422, {}, 'write'))?.action).toBe('reject_record');
    expect(decide([], ans(422, {}, 'read'))?.action).toBe('fail_run');
    expect(decide([], ans(302))?.action).toBe('fail_run');
  });

  it('configured rules come first and can match bodies of 2xx answers', () => {
    const r = rules(
      { path: 'code', equals: [40001, 40002], action: 'fail_run', kind: 'auth' },
      { status: '2xx', path: 'code', equals: 'BUSY', action: 'retry' },
      { regex: 'quota exceeded', action: 'retry_after', retryAfterMs: 60000 },
      { status: 400, path: 'errors', action: 'reject_record', on: 'read' },
    );
    expect(decide(r, ans(200, { code: '40002' }))).toMatchObject({ action: 'fail_run', kind: 'auth' });
    expect(decide(r, ans(200, { code: 'BUSY' }))?.action).toBe('retry');
    expect(decide(r, ans(500, { code: 'BUSY' }))?.action).toBe('retry');
    expect(decide(r, ans(403, { msg: 'daily quota exceeded' }))).toMatchObject({ action: 'retry_after', retryAfterMs: 60000 });
    expect(decide(r, ans(400, { errors: [1] }))?.action).toBe('reject_record');
    expect(decide(r, ans(400, { errors: [] }, 'write'))?.action).toBe('reject_record');
    expect(decide(r, ans(400, { other: 1 }))?.action).toBe('fail_run');
    expect(decide(r, ans(200, { code: 0 }))).toBeUndefined();
  });

  it('refuses a rule that matches nothing', () => {
    expect(ErrorRule.safeParse({ action: 'retry' }).success).toBe(false);
    expect(ErrorRule.safeParse({ status: '6xx', action: 'retry' }).success).toBe(false);
  });

  it('finds the vendor code and message in common shapes', () => {
    expect(remoteWords({ code: 40001, msg: 'bad sign' }, '')).toEqual({ code: '40001', detail: 'bad sign' });
    expect(remoteWords({ code: 400, error: { code: 'E_X', message: 'nested' } }, '')).toEqual({ code: 'E_X', detail: 'nested' });
    expect(remoteWords({ error: 'invalid_client', error_description: 'nope' }, '')).toEqual({ detail: 'nope' });
    expect(remoteWords(undefined, '<html>Bad Gateway</html>')).toEqual({ detail: '<html>Bad Gateway</html>' });
    expect(remoteWords({ result: { err: 'E9', text: 'custom' } }, '', { codePath: 'result.err', messagePath: 'result.text' })).toEqual({ code: 'E9', detail: 'custom' });
  });
});
