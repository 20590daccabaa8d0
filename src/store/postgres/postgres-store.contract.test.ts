import { beforeAll, describe } from 'vitest';
import type { StateStore } from '../../core/contracts/state-store.ts';
import { defineStateStoreContract } from '../contract-tests.ts';
import type { PostgresStore } from './postgres-store.ts';
import { dropTestStore, openTestStore, requireTestPostgres, skipWithoutPostgres, TEST_PG_URL } from './pg-test-support.ts';

// Skipped with a message where PostgreSQL is absent, except under CI=true (then it fails naming what is missing).
const skip = await skipWithoutPostgres('PostgreSQL store contract tests');

describe.skipIf(skip)('the PostgreSQL store', () => {
  beforeAll(async () => {
    await requireTestPostgres();
  });

  defineStateStoreContract(`postgres (${TEST_PG_URL}, a fresh schema per test)`, {
    open: () => openTestStore(),
    dispose: (store: StateStore) => dropTestStore(store as PostgresStore),
  });
});
