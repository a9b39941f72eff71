// Progress of long work, as the app reports it: Tauri events carrying core's
// `Progress {done, total}` (an import sends `import-progress` every 500 rows).

import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { Progress } from '../bindings/Progress';

export const IMPORT_PROGRESS = 'import-progress';

/** Calls `onprogress` for each progress event until the returned function is called. */
export async function onProgress(event: string, onprogress: (p: Progress) => void): Promise<UnlistenFn> {
  return listen<Progress>(event, (e) => onprogress(e.payload));
}

/** The share done, 0 to 1 (0 while the total is unknown). */
export function fraction(p: Progress | null): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(1, Math.max(0, p.done / p.total));
}
