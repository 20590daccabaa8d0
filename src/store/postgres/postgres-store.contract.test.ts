import { beforeAll } from 'vitest';
import type { StateStore } from '../../core/contracts/state-store.ts';
import { defineStateStoreContract } from '../contract-tests.ts';
import type { PostgresStore } from './postgres-store.ts';
import { dropTestStore, openTestStore, requireTestPostgres, TEST_PG_URL } from './pg-test-support.ts';

beforeAll(async () => {
  await requireTestPostgres();
});

defineStateStoreContract(`postgres (${TEST_PG_URL}, a fresh schema per test)`, {
  open: () => openTestStore(),
  dispose: (store: StateStore) => dropTestStore(store as PostgresStore),
});
