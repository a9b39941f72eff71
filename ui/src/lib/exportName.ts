// The file name a roster export suggests: the cohort's name made safe for any file
// system, "-redacted" when sensitive fields are left out, and the format's extension.

export function exportFileName(cohortName: string, format: string, redacted: boolean): string {
  const base =
    cohortName
      .normalize('NFC')
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80) || 'roster';
  return `${base}${redacted ? ' - redacted' : ''}.${format}`;
}
