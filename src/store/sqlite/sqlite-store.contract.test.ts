import { defineStateStoreContract } from '../contract-tests.ts';
import { SqliteStore } from './sqlite-store.ts';

defineStateStoreContract('sqlite (in memory)', {
  open: async () => new SqliteStore(':memory:'),
});
