import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FormStore, StoredRecord } from './store.ts';

/**
 * Keeps the emulator's records across restarts, so a second `ferry demo` finds the customers the first
 * one created (the real system keeps its data too). One JSON document: { formId: StoredRecord[] }.
 */
export function loadSnapshot(file: string, stores: Map<string, FormStore>): void {
  if (!existsSync(file)) return;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredRecord[]>;
  for (const [formId, records] of Object.entries(doc)) {
    const store = stores.get(formId);
    if (store) for (const r of records) store.restore(r);
  }
}

export function saveSnapshot(file: string, stores: Map<string, FormStore>): void {
  const doc: Record<string, StoredRecord[]> = {};
  for (const [formId, store] of stores) if (store.size) doc[formId] = [...store.values()];
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc));
  renameSync(tmp, file);
}
