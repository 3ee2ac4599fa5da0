/**
 * What any text a client sends must be, whatever the field: well-formed Unicode (no lone surrogate,
 * which a database driver would store as U+FFFD or refuse), and free of control characters (NUL is
 * refused by PostgreSQL; the rest are invisible and end up in logs, CSV exports and e-mails).
 * Multi-line text may keep line feeds and tabs. Used by the zod vocabulary (vocabulary.ts) and by the
 * GraphQL layer's check of every String argument (src/graphql/input-arguments.plugin.ts).
 */

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but tab, line feed and carriage return (normalizeText makes it a line feed) are allowed. */
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** In a /u expression a well-formed pair is one code point, so only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u;

export interface TextRuleOptions {
  /** Line feeds and tabs allowed (descriptions, answers, notes). */
  multiline?: boolean;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `value` breaks the rules, as a phrase to follow a field's name ("must not contain …"), or
 * null when it keeps them. Never quotes the value: it may be private and the message may be logged.
 */
export function textProblem(value: string, options: TextRuleOptions = {}): string | null {
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) return `must not contain a lone surrogate, half of a character such as a split emoji (at character ${surrogate.index + 1})`;
  const match = (options.multiline ? CONTROL_MULTILINE : CONTROL).exec(value);
  if (!match) return null;
  const code = match[0].charCodeAt(0);
  const found = `(found ${code === 0 ? 'NUL, U+0000,' : hex(code)} at character ${match.index + 1})`;
  if (!options.multiline && (code === 0x0a || code === 0x0d || code === 0x09)) return `must be one line, without line breaks or tabs ${found}`;
  return `must not contain control characters ${found}`;
}

/**
 * The stored form of accepted text: Unicode NFC (so that "é" typed two ways is one value for search
 * and uniqueness), Windows and old-Mac line ends as line feeds, and no surrounding white space.
 * Run it before textProblem: a CR of a CRLF line end is not refused in multi-line text.
 */
export function normalizeText(value: string, options: TextRuleOptions = {}): string {
  // normalize() keeps lone surrogates as they are, so textProblem still sees them afterwards.
  const nfc = value.normalize('NFC');
  return (options.multiline ? nfc.replace(/\r\n?/g, '\n') : nfc).trim();
}

export interface TextProblemAt {
  /** Object keys and list indices from the value's root to the string. */
  path: (string | number)[];
  problem: string;
}

/**
 * Every string anywhere in a value (an input object as a client sent it) that breaks the rules for
 * multi-line text, the loosest a field may be. The net under every field's own rule: a field
 * declared with a bare string still cannot carry a NUL to the database. Iterative, so a deeply
 * nested value (a hostile GeoJSON) cannot overflow the stack; stops after `limit` problems.
 */
export function textProblemsIn(root: unknown, limit = 20): TextProblemAt[] {
  // Each entry points at its parent, so a deep value costs no copied paths; a path is built only
  // for a string that is refused.
  interface Entry { value: unknown; key: string | number | null; parent: Entry | null }
  const pathOf = (entry: Entry): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let e: Entry | null = entry; e && e.key !== null; e = e.parent) path.unshift(e.key);
    return path;
  };
  const found: TextProblemAt[] = [];
  const stack: Entry[] = [{ value: root, key: null, parent: null }];
  while (stack.length > 0 && found.length < limit) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (typeof value === 'string') {
      const problem = textProblem(value, { multiline: true });
      if (problem) found.push({ path: pathOf(entry), problem });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) if (typeof value[i] !== 'number') stack.push({ value: value[i], key: i, parent: entry });
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, child] of Object.entries(value).reverse()) stack.push({ value: child, key, parent: entry });
    }
  }
  return found;
}
