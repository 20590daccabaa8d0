import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from './postgres-store.ts';

/** The PostgreSQL the tests use: env FERRY_TEST_PG, else the machine's server (CI provides one). */
export const TEST_PG_URL = process.env.FERRY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the tests that need PostgreSQL are skipped here: only when it cannot be reached AND this is not CI
 * (under CI=true they run, and fail with a plain message when the database is missing).
 */
export async function skipWithoutPostgres(what: string, url = TEST_PG_URL): Promise<boolean> {
  if (process.env.CI === 'true') return false;
  try {
    await requireTestPostgres(url);
    return false;
  } catch (err) {
    console.warn(`${what} skipped: ${(err as Error).message} (under CI=true they run and fail instead)`);
    return true;
  }
}

/** Fails with a plain message when the test database cannot be reached. */
export async function requireTestPostgres(url = TEST_PG_URL): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${url} (${(err as Error).message}); start it or set FERRY_TEST_PG to a reachable database`, { cause: err });
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A unique schema name per call, so parallel test files never share tables. */
export function uniqueSchema(prefix = 'ferry_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function openTestStore(schema = uniqueSchema(), url = TEST_PG_URL): Promise<PostgresStore> {
  return PostgresStore.open({ connectionString: url, schema, max: 4 });
}

/** Drops the store's schema with everything in it, then closes the store. */
export async function dropTestStore(store: PostgresStore): Promise<void> {
  try {
    await store.pool.query(`DROP SCHEMA IF EXISTS ${store.s} CASCADE`);
  } finally {
    await store.close();
  }
}
