/**
 * The input vocabulary: the zod schemas every module builds its mutation inputs from, so that a
 * kind of value (a line of text, a slug, a date, an e-mail address) is read and refused the same
 * way everywhere. Every string passes text-rules.ts: normalized (NFC, line ends, trimmed), and
 * refused with a message naming the problem when it holds a control character or a lone surrogate.
 * validateInput (src/graphql/mutation.ts) turns each problem into a userError naming the field.
 */
import { z } from 'zod';
import { EARLIEST_DATE, LATEST_DATE } from './calendar.ts';
import { normalizeText, textProblem, type TextRuleOptions } from './text-rules.ts';

const stringError = (issue: { input?: unknown }) => (issue.input === null ? 'cannot be cleared' : 'must be a string');

/**
 * Any string a client sends: normalized and checked (text-rules.ts), possibly empty. The building
 * block of everything below; use it directly for opaque values (ids, tokens).
 */
export function checkedString(options: TextRuleOptions = {}) {
  return z
    .string({ error: stringError })
    .overwrite((value) => normalizeText(value, options))
    .check((ctx) => {
      const problem = textProblem(ctx.value, options);
      // `continue: false`: one message per field, the first thing to fix.
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value, continue: false });
    });
}

/** Text a person writes: not empty, at most `max` characters; one line unless `multiline`. */
export function text(max: number, options: TextRuleOptions = {}) {
  return checkedString(options).min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
}

/** An opaque global id; inputId() decodes it and refuses one of another type with INVALID_ID. */
export const globalId = checkedString();

/** A jurisdiction's slug as an argument (`portland`); an unknown one is refused where it is looked up. */
export const jurisdictionSlug = checkedString().max(100, 'must be at most 100 characters');

export const SLUG_MAX = 100;
/** A URL-safe name: lower-case words of letters and digits joined by single hyphens. */
export const slug = checkedString()
  .max(SLUG_MAX, `must be at most ${SLUG_MAX} characters`)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters and digits in words joined by single hyphens, such as "sullivans-gulch"');

/** A key chosen by staff for a question or requirement: 1–40 letters, digits, - or _. */
export const key = checkedString()
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'must be 1–40 letters, digits, - or _');

/** An http(s) link a browser can open. */
export function httpUrl(max: number) {
  return checkedString()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => /^https?:\/\/\S+$/i.test(value) && URL.canParse(value), 'must be an http:// or https:// URL');
}

/** An e-mail address (the common, deliverable shape; no quoted local parts). */
export const email = checkedString()
  .max(254, 'must be at most 254 characters')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address such as name@example.org');

/** A telephone number as people write one: digits, spaces and + - ( ) . /, at least 7 digits. */
export const phone = checkedString()
  .regex(/^[0-9+\-(). /]{7,40}$/, 'must be a phone number: 7–40 digits, spaces or + - ( ) . /')
  .refine((p) => (p.match(/[0-9]/g) ?? []).length >= 7, 'must be a phone number with at least 7 digits');

/** A BCP-47 language tag's shape (`es`, `zh-Hant`); modules canonicalize it with Intl where they store it. */
export const languageTag = checkedString()
  .max(35, 'must be at most 35 characters')
  .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,6}$/, 'must be a BCP-47 language tag such as es or vi');

/** A whole number within [min, max]. */
export function int(min: number, max: number) {
  const range = `must be between ${min} and ${max}`;
  return z.number({ error: 'must be a number' }).int('must be a whole number').min(min, range).max(max, range);
}

export const latitude = z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
export const longitude = z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');
/** A WGS84 point. */
export const point = z.object({ latitude, longitude });

/**
 * A calendar date (the Date scalar checked that it is one) within what the field means: `min` and
 * `max` as YYYY-MM-DD, inclusive.
 */
export function date(range: { min?: string; max?: string } = {}) {
  const min = range.min ?? EARLIEST_DATE;
  const max = range.max ?? LATEST_DATE;
  return z.string().refine((d) => d >= min && d <= max, `must be a date between ${min} and ${max}`);
}

/** An instant (the DateTime scalar made it a Date) within the years the field means. */
export function instant(years: { min: number; max: number }) {
  return z.date().refine(
    (d) => d.getUTCFullYear() >= years.min && d.getUTCFullYear() <= years.max,
    `must be between the years ${years.min} and ${years.max}`,
  );
}
