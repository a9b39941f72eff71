import { describe, expect, it } from 'vitest';
import { packageFileName } from './syncName';

describe('packageFileName', () => {
  it('names the device and the day, safely', () => {
    const day = new Date('2027-03-04T12:00:00Z');
    expect(packageFileName('Technion office/laptop', false, day)).toBe('Technion office laptop 2027-03-04.exdesk-sync');
    expect(packageFileName('מחשב משרד', true, day)).toBe('מחשב משרד - cohort 2027-03-04.exdesk-sync');
    expect(packageFileName('  ', false, day)).toBe('exchange-desk 2027-03-04.exdesk-sync');
  });
});
