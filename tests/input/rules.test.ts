import { describe, expect, it } from 'vitest';
import { isIsoDate, parseInstant } from '../../src/input/calendar.ts';
import { normalizeText, textProblem, textProblemsIn } from '../../src/input/text-rules.ts';

/** The pure rules under the input vocabulary: no server, no database. */

describe('calendar', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2027-02-30', false],
    ['0000-01-01', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2027-3-7', false],
    ['+275760-09-13', false],
  ])('isIsoDate(%j) is %s', (value, expected) => expect(isIsoDate(value)).toBe(expected));

  it.each([
    ['2026-11-22T19:14:00Z', '2026-11-22T19:14:00.000Z'],
    ['2026-11-22t11:14:00.123456789-08:00', '2026-11-22T19:14:00.123Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0099-06-01T00:00:00Z', '0099-06-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('parseInstant(%j) is %s', (value, expected) => expect(parseInstant(value)?.toISOString()).toBe(expected));

  it.each([
    '2027-02-30T18:00:00Z',
    '2027-03-07T18:00:00',
    '2027-03-07 18:00:00Z',
    'March 7, 2027',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+00:01',
    '9999-12-31T23:59:59-00:01',
    '+275760-09-13T00:00:00Z',
    '2027-03-07T24:00:00Z',
    '2027-03-07T18:60:00Z',
    '2027-03-07T18:00:60Z',
    '2027-03-07T18:00:00+24:00',
  ])('parseInstant refuses %j', (value) => expect(parseInstant(value)).toBeNull());
});

describe('text rules', () => {
  it('refuses NUL, other controls and lone surrogates, naming the position but not the value', () => {
    expect(textProblem('ab\u0000c')).toBe('must not contain control characters (found NUL, U+0000, at character 3)');
    expect(textProblem('a\u0085')).toMatch(/U\+0085/);
    expect(textProblem('a\u007f')).toMatch(/U\+007F/);
    expect(textProblem('x \ud83c')).toMatch(/lone surrogate.*character 3/);
    expect(textProblem('\udc00')).toMatch(/lone surrogate/);
  });

  it('allows line feeds, tabs and CR only in multi-line text', () => {
    expect(textProblem('a\nb')).toMatch(/one line/);
    expect(textProblem('a\tb')).toMatch(/one line/);
    expect(textProblem('a\nb\tc\r\n', { multiline: true })).toBeNull();
    expect(textProblem('a\u000bb', { multiline: true })).toMatch(/U\+000B/);
  });

  it('accepts emoji, accents, scripts and direction marks', () => {
    for (const value of ['😀👍🏽', 'Société', 'Nguyễn', 'مرحبا', '\u202eabc', '\u200f']) expect(textProblem(value)).toBeNull();
  });

  it('normalizes to NFC, LF line ends and no surrounding white space', () => {
    expect(normalizeText('  Zoe\u0301 ')).toBe('Zoé');
    expect(normalizeText('a\r\nb\rc', { multiline: true })).toBe('a\nb\nc');
  });

  it('finds every bad string in a value with its path, however deep, without overflowing the stack', () => {
    expect(textProblemsIn({ name: 'ok', answers: [{ text: 'fine' }, { text: 'bad\u0000' }], n: 3 })).toEqual([
      { path: ['answers', 1, 'text'], problem: expect.stringMatching(/NUL/) },
    ]);
    let deep: unknown = 'x\u0001';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(textProblemsIn(deep)).toHaveLength(1);
    expect(textProblemsIn(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
  });
});
