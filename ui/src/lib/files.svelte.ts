// The system's file dialogs, and the one way around them for end-to-end tests: WebDriver
// cannot drive a native dialog, so when the app runs with EXDESK_E2E=1 (the `e2e_mode`
// command says so, and `window.__EXDESK_E2E__` is set) each dialog-backed action also
// shows a plain path field; a path typed there is used instead of opening the dialog.

import { open, save } from '@tauri-apps/plugin-dialog';
import { api } from './api';

declare global {
  interface Window {
    __EXDESK_E2E__?: boolean;
  }
}

export const e2e = $state<{ on: boolean }>({ on: false });

/** Asks the app once whether it runs under the end-to-end tests. */
export async function detectE2e(): Promise<void> {
  try {
    e2e.on = await api.e2eMode();
  } catch {
    e2e.on = false;
  }
  if (e2e.on) window.__EXDESK_E2E__ = true;
}

export interface Filter {
  name: string;
  extensions: string[];
}

/** A path typed into an end-to-end path field, when there is one to use. */
function typed(override: string | undefined): string | null {
  const path = override?.trim();
  return e2e.on && path ? path : null;
}

/** One existing file to read (null: the user cancelled). */
export async function chooseFile(title: string, filters: Filter[], override?: string): Promise<string | null> {
  const path = typed(override);
  if (path) return path;
  const picked = await open({ title, multiple: false, directory: false, filters });
  return typeof picked === 'string' ? picked : null;
}

/** One folder (null: the user cancelled). */
export async function chooseFolder(title: string, override?: string): Promise<string | null> {
  const path = typed(override);
  if (path) return path;
  const picked = await open({ title, multiple: false, directory: true });
  return typeof picked === 'string' ? picked : null;
}

/** Where to write a new file (null: the user cancelled). */
export async function chooseSavePath(
  title: string,
  defaultPath: string,
  filters: Filter[],
  override?: string,
): Promise<string | null> {
  const path = typed(override);
  if (path) return path;
  return save({ title, defaultPath, filters });
}

/** The last part of a path, for showing a file's name. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
