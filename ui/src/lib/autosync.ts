// Automatic shared-folder sync as the UI sees it: the app's events (see
// src-tauri/src/autosync.rs) and what a new status means for the screen.

import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { AutoSyncStatus } from '../bindings/AutoSyncStatus';

/** Sent with the new status whenever it changes (a round starts or ends, a change waits). */
export const SYNC_STATUS = 'sync-status';
/** Sent after a round that brought changes in (payload: how many). */
export const SYNC_IMPORTED = 'sync-imported';

export function onSyncStatus(on: (s: AutoSyncStatus) => void): Promise<UnlistenFn> {
  return listen<AutoSyncStatus>(SYNC_STATUS, (e) => on(e.payload));
}

export function onSyncImported(on: (changes: number) => void): Promise<UnlistenFn> {
  return listen<number>(SYNC_IMPORTED, (e) => on(e.payload));
}

/** Field changes, deletes and conflicts the last round brought in. */
export function importedChanges(s: AutoSyncStatus | null): number {
  return (s?.last_result?.imported ?? []).reduce((n, p) => n + p.changes + p.deletes + p.new_conflicts, 0);
}

/** Whether `next` reports a round finished after `prev` that changed the data here. */
export function broughtChanges(prev: AutoSyncStatus | null, next: AutoSyncStatus): boolean {
  return next.rounds > (prev?.rounds ?? 0) && importedChanges(next) > 0;
}
