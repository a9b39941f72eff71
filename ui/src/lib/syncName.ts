// The file name a sync package suggests: the device's name made safe for any file
// system, "-cohort" for a scoped package, today's date and the package extension.

export const PACKAGE_EXTENSION = 'exdesk-sync';

export function packageFileName(deviceName: string, scoped: boolean, today = new Date()): string {
  const base =
    deviceName
      .normalize('NFC')
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 60) || 'exchange-desk';
  const date = today.toISOString().slice(0, 10);
  return `${base}${scoped ? ' - cohort' : ''} ${date}.${PACKAGE_EXTENSION}`;
}
