import { describe, expect, it } from 'vitest';
import type { AutoSyncStatus } from '../bindings/AutoSyncStatus';
import type { SyncSummary } from '../bindings/SyncSummary';
import { broughtChanges, importedChanges } from './autosync';

function status(rounds: number, imported: Partial<SyncSummary>[] | null): AutoSyncStatus {
  return {
    folder: '/shared',
    enabled: true,
    running: false,
    rounds,
    last_round_at: rounds ? '2027-03-04T12:00:00Z' : null,
    last_trigger: rounds ? 'folder_changed' : null,
    last_result: imported
      ? {
          outbox: '/shared/me.exdesk-sync',
          skipped_messages: [],
          imported: imported.map((p) => ({
            file_name: 'x.exdesk-sync',
            device_id: 'd',
            device_name: 'Technion',
            records: 0,
            changes: 0,
            deletes: 0,
            new_conflicts: 0,
            bytes: 1,
            ...p,
          })),
          skipped: [],
        }
      : null,
    last_error: imported ? null : 'the folder does not exist',
    next_round_at: null,
    check_every_seconds: 2,
  };
}

describe('importedChanges', () => {
  it('adds changes, deletes and conflicts of every package', () => {
    expect(importedChanges(status(1, [{ changes: 3 }, { deletes: 1, new_conflicts: 2 }]))).toBe(6);
    expect(importedChanges(status(1, null))).toBe(0);
    expect(importedChanges(null)).toBe(0);
  });
});

describe('broughtChanges', () => {
  it('is true once per round that changed something here', () => {
    const first = status(1, [{ changes: 2 }]);
    expect(broughtChanges(null, first)).toBe(true);
    expect(broughtChanges(first, first)).toBe(false);
    expect(broughtChanges(first, status(2, []))).toBe(false);
    expect(broughtChanges(first, status(2, null))).toBe(false);
    expect(broughtChanges(first, { ...status(2, [{ changes: 1 }]), running: true })).toBe(true);
  });
});
