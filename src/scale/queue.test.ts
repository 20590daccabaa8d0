import { describe, expect, it } from 'vitest';
import { redisClient } from './queue.ts';

describe('redisClient', () => {
  it('reads host, port, database, user and password from the URL (lazy: nothing connects)', () => {
    const c = redisClient('redis://ferry:s3cret@redis.internal:6380/2', { lazy: true, connectionName: 'ferry:test' });
    expect(c.options).toMatchObject({ host: 'redis.internal', port: 6380, db: 2, username: 'ferry', password: 's3cret', connectionName: 'ferry:test' });
    expect(c.status).toBe('wait');
    c.disconnect();
  });

  it('gives BullMQ workers a client that waits for Redis instead of failing commands', () => {
    const worker = redisClient('redis://127.0.0.1:6379', { lazy: true, waitForever: true });
    const plain = redisClient('redis://127.0.0.1:6379', { lazy: true });
    expect(worker.options.maxRetriesPerRequest).toBeNull();
    expect(plain.options.maxRetriesPerRequest).toBe(20);
    worker.disconnect();
    plain.disconnect();
  });

  it('refuses what is not a redis:// or rediss:// URL, without echoing it (it may hold a password)', () => {
    for (const url of ['127.0.0.1:6379', 'http://u:pw@host:6379', 'u:pw@host']) {
      expect(() => redisClient(url)).toThrow(/must start with redis:\/\/ or rediss:\/\//);
      try {
        redisClient(url);
      } catch (err) {
        expect((err as Error).message).not.toContain('pw');
      }
    }
  });
});
