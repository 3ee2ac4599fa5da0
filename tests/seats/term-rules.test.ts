import { describe, expect, it } from 'vitest';
import { addMonths } from '../../src/input/calendar.ts';
import { consecutiveTermsEndingOn } from '../../src/modules/seats/appointments.service.ts';

// Pure rules of a seat's terms: no server, no database.
describe('term arithmetic', () => {
  it('adds calendar months, keeping the day or falling back to the month end', () => {
    expect(addMonths('2025-01-01', 48)).toBe('2029-01-01');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });

  it('counts only an unbroken chain of terms ending on the date', () => {
    const terms = [
      { startDate: '2019-01-01', endDate: '2021-01-01' },
      { startDate: '2021-01-01', endDate: '2023-01-01' },
      { startDate: '2016-01-01', endDate: '2018-06-01' },
    ];
    expect(consecutiveTermsEndingOn(terms, '2023-01-01')).toBe(2);
    expect(consecutiveTermsEndingOn(terms, '2023-02-01')).toBe(0);
    expect(consecutiveTermsEndingOn(terms, '2018-06-01')).toBe(1);
  });
});
