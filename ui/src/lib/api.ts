// Typed wrappers over the desktop app's commands (src-tauri/src/commands.rs). Each
// rejects with an IpcError ({code, message, field?, problems}); see errors.ts.

import { invoke } from '@tauri-apps/api/core';
import type { AutoSyncStatus } from '../bindings/AutoSyncStatus';
import type { BulkOutcome } from '../bindings/BulkOutcome';
import type { ConflictPage } from '../bindings/ConflictPage';
import type { DbInfo } from '../bindings/DbInfo';
import type { DeletedRecord } from '../bindings/DeletedRecord';
import type { Recovered } from '../bindings/Recovered';
import type { Deadlines } from '../bindings/Deadlines';
import type { DeviceInfo } from '../bindings/DeviceInfo';
import type { Entity } from '../bindings/Entity';
import type { ExportLogEntry } from '../bindings/ExportLogEntry';
import type { HistoryEntry } from '../bindings/HistoryEntry';
import type { ExportSummary } from '../bindings/ExportSummary';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportReport } from '../bindings/ImportReport';
import type { PackageInfo } from '../bindings/PackageInfo';
import type { Page } from '../bindings/Page';
import type { Problem } from '../bindings/Problem';
import type { SyncSummary } from '../bindings/SyncSummary';
import type { RosterColumn } from '../bindings/RosterColumn';
import type { RosterFormat } from '../bindings/RosterFormat';
import type { RosterOptions } from '../bindings/RosterOptions';
import type { RosterPage } from '../bindings/RosterPage';
import type { RosterQuery } from '../bindings/RosterQuery';
import type { BulkSummary } from '../bindings/BulkSummary';
import type { SearchHit } from '../bindings/SearchHit';
import type { Stats } from '../bindings/Stats';
import type { BackupFile } from '../bindings/BackupFile';
import type { CheckReport } from '../bindings/CheckReport';
import type { RestoreSummary } from '../bindings/RestoreSummary';
import type { SafetyInfo } from '../bindings/SafetyInfo';

export type RecordValue = Record<string, unknown>;

export interface ListOptions {
  /** Free text, matched like the global search. */
  query?: string;
  /** `field = value` equality filters. */
  filters?: Record<string, string>;
  limit?: number;
  offset?: number;
  /** A column to sort by instead of the entity's default order. */
  sort?: string;
  descending?: boolean;
}

/** The roster columns core offers and those it uses when none are chosen. */
export interface RosterColumns {
  all: RosterColumn[];
  default: string[];
}

export const api = {
  appInfo: () => invoke<DbInfo>('app_info'),

  setOnboarding: (choice: 'demo' | 'empty') => invoke<DbInfo>('set_onboarding', { choice }),

  language: () => invoke<string | null>('language'),

  setLanguage: (language: 'en' | 'he') => invoke<void>('set_language', { language }),

  stats: () => invoke<Stats>('stats'),

  listRecords: (entity: Entity, opts: ListOptions = {}) =>
    invoke<Page>('list_records', {
      entity,
      query: opts.query ?? null,
      filters: Object.entries(opts.filters ?? {}),
      limit: opts.limit ?? null,
      offset: opts.offset ?? 0,
      sort: opts.sort ?? null,
      descending: opts.descending ?? false,
    }),

  /** How many `entity` records refer through `field` to each of `ids` (one query). */
  countBy: (entity: Entity, field: string, ids: string[]) =>
    invoke<Record<string, number>>('count_by', { entity, field, ids }),

  /** The naming fields of the `entity` records with these ids, by id (one query; unknown
   * ids are left out). What a list shows for the records its rows refer to. */
  recordNames: (entity: Entity, ids: string[]) =>
    invoke<Record<string, RecordValue>>('record_names', { entity, ids }),

  getRecord: <T = RecordValue>(entity: Entity, id: string) =>
    invoke<T>('get_record', { entity, id }),

  /** The fields this laptop holds the record without: a partner copy's redacted fields
   * (it came in a package scoped to a cohort; the coordinator keeps them). Empty for any
   * other record. Core refuses a write that sets one. */
  partnerCopyFields: (entity: Entity, id: string) =>
    invoke<string[]>('partner_copy_fields', { entity, id }),

  addRecord: (entity: Entity, record: RecordValue, overCapacity = false) =>
    invoke<RecordValue>('add_record', { entity, record, over_capacity: overCapacity }),

  updateRecord: (
    entity: Entity,
    id: string,
    patch: RecordValue,
    opts: { overCapacity?: boolean; reopen?: boolean } = {},
  ) =>
    invoke<RecordValue>('update_record', {
      entity,
      id,
      patch,
      over_capacity: opts.overCapacity ?? false,
      reopen: opts.reopen ?? false,
    }),

  deleteRecord: (entity: Entity, id: string) => invoke<void>('delete_record', { entity, id }),

  /** Recently deleted records (every kind when `entity` is null), newest first. */
  deletedRecords: (entity: Entity | null = null, limit = 100) =>
    invoke<DeletedRecord[]>('deleted_records', { entity, limit }),

  /** Re-creates a deleted record as a NEW record (new id) with its values. */
  recoverRecord: (entity: Entity, id: string) =>
    invoke<Recovered>('recover_record', { entity, id }),

  search: (query: string, limit = 20) => invoke<SearchHit[]>('search', { query, limit }),

  /** One page of a cohort's roster as a view filters and sorts it, with the cohort's summary. */
  rosterPage: (cohortId: string, query: Partial<RosterQuery>) =>
    invoke<RosterPage>('roster_page', { cohort_id: cohortId, query }),

  /** The same patch to every placement of the cohort `query` matches, but `except`. */
  rosterUpdate: (
    cohortId: string,
    query: Partial<RosterQuery>,
    except: string[],
    patch: RecordValue,
    opts: { overCapacity?: boolean; reopen?: boolean } = {},
  ) =>
    invoke<BulkSummary>('roster_update', {
      cohort_id: cohortId,
      query,
      except,
      patch,
      over_capacity: opts.overCapacity ?? false,
      reopen: opts.reopen ?? false,
    }),

  /** The soonest `limit` deadlines and how many there are in all. */
  deadlines: (withinDays = 60, limit = 50) => invoke<Deadlines>('deadlines', { within_days: withinDays, limit }),

  history: (entity: Entity, id: string) => invoke<HistoryEntry[]>('history', { entity, id }),

  /** The same patch to each record on its own; one refusal does not stop the others. */
  updateEach: (
    entity: Entity,
    ids: string[],
    patch: RecordValue,
    opts: { overCapacity?: boolean; reopen?: boolean } = {},
  ) =>
    invoke<BulkOutcome[]>('update_each', {
      entity,
      ids,
      patch,
      over_capacity: opts.overCapacity ?? false,
      reopen: opts.reopen ?? false,
    }),

  rosterColumns: () => invoke<RosterColumns>('roster_columns'),

  exportRoster: (cohortId: string, path: string, format: RosterFormat, options: RosterOptions) =>
    invoke<ExportSummary>('export_roster', { cohort_id: cohortId, path, format, options }),

  /** The problems saving `record` would meet (an update when `id` is given); writes nothing. */
  validate: (
    entity: Entity,
    record: RecordValue,
    id: string | null,
    opts: { overCapacity?: boolean; reopen?: boolean } = {},
  ) =>
    invoke<Problem[]>('validate_record', {
      entity,
      record,
      id,
      over_capacity: opts.overCapacity ?? false,
      reopen: opts.reopen ?? false,
    }),

  exportCalendar: (path: string, cohortId: string | null) =>
    invoke<ExportSummary>('export_calendar', { path, cohort_id: cohortId }),

  exportLog: (limit = 200) => invoke<ExportLogEntry[]>('export_log', { limit }),

  /** True only when the app runs under the end-to-end tests (EXDESK_E2E=1). */
  e2eMode: () => invoke<boolean>('e2e_mode'),

  importFields: (entity: ImportEntity) => invoke<string[]>('import_fields', { entity }),

  /** An import (or its dry run); progress arrives as `import-progress` events. */
  importFile: (entity: ImportEntity, path: string, options: ImportOptions) =>
    invoke<ImportReport>('import_file', { entity, path, options }),

  /** Stops the running import (nothing is written). */
  cancelJob: () => invoke<void>('cancel_job'),

  mergePeople: (survivor: string, duplicate: string) =>
    invoke<RecordValue>('merge_people', { survivor, duplicate }),

  presets: (kind: PresetKind) => invoke<Record<string, unknown>>('presets', { kind }),

  savePreset: (kind: PresetKind, name: string, value: unknown) =>
    invoke<void>('save_preset', { kind, name, value }),

  device: () => invoke<DeviceInfo>('device'),

  devices: () => invoke<DeviceInfo[]>('devices'),

  setDeviceName: (name: string) => invoke<void>('set_device_name', { name }),

  syncExport: (path: string, forDevice: string | null, cohortId: string | null) =>
    invoke<SyncSummary>('sync_export', { path, for_device: forDevice, cohort_id: cohortId }),

  syncInspect: (path: string) => invoke<PackageInfo>('sync_inspect', { path }),

  syncImport: (path: string, trust: boolean) => invoke<SyncSummary>('sync_import', { path, trust }),

  /** A page of the conflict list (open entries first, newest first), with how many
   * entries are listed and how many are open. */
  conflictPage: (includeResolved: boolean, offset: number, limit: number) =>
    invoke<ConflictPage>('conflict_page', { include_resolved: includeResolved, offset, limit }),

  resolveConflict: (id: string, restore: boolean) => invoke<void>('resolve_conflict', { id, restore }),

  syncFolderPath: () => invoke<string | null>('sync_folder_path'),

  setSyncFolderPath: (path: string) => invoke<void>('set_sync_folder_path', { path }),

  /** Opens the encrypted database; a wrong passphrase rejects with `wrong_passphrase`. */
  unlock: (passphrase: string) => invoke<DbInfo>('unlock', { passphrase }),

  /** The quick_check of the open database (at open when small, now when large). */
  startupCheck: () => invoke<CheckReport>('startup_check'),

  safetyInfo: () => invoke<SafetyInfo>('safety_info'),

  backupNow: () => invoke<BackupFile>('backup_now'),

  setBackupKeep: (keep: number) => invoke<void>('set_backup_keep', { keep }),

  /** Core checks the backup first and keeps the replaced database aside. */
  restoreBackup: (path: string) => invoke<RestoreSummary>('restore_backup', { path }),

  newestGoodBackup: () => invoke<BackupFile | null>('newest_good_backup'),

  /** Encrypt (current null), change (both), or decrypt (next null). */
  setPassphrase: (current: string | null, next: string | null) =>
    invoke<void>('set_passphrase', { current, new: next }),
  autoSyncStatus: () => invoke<AutoSyncStatus>('auto_sync_status'),

  setAutoSync: (enabled: boolean) => invoke<void>('set_auto_sync', { enabled }),

  /** Asks for a shared-folder round now; its result arrives as a `sync-status` event. */
  syncNow: () => invoke<void>('sync_now'),
};

/** The entities a file can be imported as. */
export type ImportEntity = 'person' | 'institution' | 'placement';

/** The kinds of saved presets. */
export type PresetKind = 'import_mapping' | 'roster_columns';

/**
 * `known` with the counts of `entity` records referring through `field` to those of
 * `ids` not counted yet (one `countBy` call), for lists that show a count per row and
 * load a page at a time; `known` itself when every id is counted.
 */
export async function withCounts(
  known: Map<string, number>,
  entity: Entity,
  field: string,
  ids: string[],
): Promise<Map<string, number>> {
  const fresh = ids.filter((id) => !known.has(id));
  if (!fresh.length) return known;
  const counts = await api.countBy(entity, field, fresh);
  const next = new Map(known);
  for (const [id, n] of Object.entries(counts)) next.set(id, n);
  return next;
}

/**
 * How the records that rows refer to are named (a cohort's program, a person's home
 * institution, a fellowship's person): every id asked for in the same tick goes to core
 * in ONE `recordNames` call, and each id only once (never a call per row, never a whole
 * table). A record resolves to its naming fields (core's `names`: a person's names and
 * e-mail, an institution's names and country, a name or a title), or null when there is
 * none; ids of a failed call are asked for again next time. Names are picked at render
 * time (see `recordName`) so they follow the language.
 */
export class RecordCache {
  private records = new Map<string, Promise<RecordValue | null>>();
  /** Ids asked for since the last call went out, with how to answer each. */
  private waiting = new Map<string, (record: RecordValue | null) => void>();

  constructor(private entity: Entity) {}

  get(id: string): Promise<RecordValue | null> {
    let record = this.records.get(id);
    if (!record) {
      record = new Promise((resolve) => {
        if (this.waiting.size === 0) queueMicrotask(() => void this.ask());
        this.waiting.set(id, resolve);
      });
      this.records.set(id, record);
    }
    return record;
  }

  /** The records of all `ids` (duplicates and nulls skipped), by id. */
  async getAll(ids: Iterable<string | null | undefined>): Promise<Map<string, RecordValue>> {
    const unique = [...new Set([...ids].filter((id): id is string => !!id))];
    const records = await Promise.all(unique.map((id) => this.get(id)));
    const out = new Map<string, RecordValue>();
    unique.forEach((id, i) => {
      const record = records[i];
      if (record) out.set(id, record);
    });
    return out;
  }

  /** One call for every id waiting. */
  private async ask() {
    const batch = this.waiting;
    this.waiting = new Map();
    let found: Record<string, RecordValue> = {};
    try {
      found = await api.recordNames(this.entity, [...batch.keys()]);
    } catch {
      for (const id of batch.keys()) this.records.delete(id);
    }
    for (const [id, resolve] of batch) resolve(found[id] ?? null);
  }
}

/** Institutions and programs show by name, the Hebrew one in a Hebrew UI when present. */
export function recordName(record: RecordValue | null | undefined, preferHebrew: boolean): string {
  if (!record) return '';
  const he = typeof record.name_he === 'string' ? record.name_he : null;
  const name = typeof record.name === 'string' ? record.name : null;
  return (preferHebrew ? (he ?? name) : (name ?? he)) ?? '';
}
