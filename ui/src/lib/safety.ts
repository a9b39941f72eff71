// The UI side of encryption and backups: which screen an opening error leads to, the
// checks of a new passphrase the form can make before asking core, and file sizes.

import { isIpcError } from './errors';
import type { Key } from './i18n';

/** What the app shows when the database did not open. */
export type OpenProblem = 'locked' | 'damaged' | 'other';

/** Locked and wrong-passphrase errors lead to the unlock screen, damage to the restore offer. */
export function openProblem(e: unknown): OpenProblem {
  if (!isIpcError(e)) return 'other';
  if (e.code === 'locked' || e.code === 'wrong_passphrase') return 'locked';
  if (e.code === 'damaged') return 'damaged';
  return 'other';
}

/** Core's minimum; core checks it again (this only spares a round trip). */
export const MIN_PASSPHRASE = 8;

/** Why a new passphrase and its confirmation cannot be used yet, or null. */
export function newPassphraseProblem(passphrase: string, confirm: string): Key | null {
  if ([...passphrase].length < MIN_PASSPHRASE) return 'safety.tooShort';
  if (passphrase !== confirm) return 'safety.mismatch';
  return null;
}

/** The units of sizes in each language (Hebrew's usual abbreviations: בתים, ק״ב, מ״ב…). */
const BYTE_UNITS: Record<string, string[]> = {
  en: ['B', 'KB', 'MB', 'GB', 'TB'],
  he: ['בתים', 'ק״ב', 'מ״ב', 'ג״ב', 'ט״ב'],
};

/** `bytes` for people: 980 B, 12.3 KB, 45.1 MB, 2.4 GB (decimal units); in Hebrew
 *  "602 ק״ב". */
export function formatBytes(bytes: number, lang: string): string {
  const units = BYTE_UNITS[lang] ?? BYTE_UNITS.en ?? [];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const tag = lang === 'he' ? 'he-IL' : 'en-US';
  return `${new Intl.NumberFormat(tag, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** Whether `keep` is a rotation count core accepts (1 to 1000 whole backups). */
export function validKeep(keep: number): boolean {
  return Number.isInteger(keep) && keep >= 1 && keep <= 1000;
}

/** The label group value of a backup's reason (`before-migration-v2` → `migration`). */
export function backupReason(reason: string): string {
  return reason.startsWith('before-migration') ? 'migration' : reason;
}
