/** Pretty-printed literals for generated code: one line when it fits, else one entry per line. */
import { entriesOf, literal, objectKey } from './names';

/** Generated lines stay within this many characters (a long model string alone may pass it). */
export const WIDTH = 100;

/**
 * `value` as a TypeScript literal starting at `column`, its closing bracket
 * indented by `indent` spaces: on one line when it fits (with a trailing comma),
 * otherwise with each element or entry on its own line, recursively.
 */
export function pretty(value: unknown, column = 0, indent = 0): string {
  const flat = literal(value);
  if (column + flat.length + 1 <= WIDTH || value === null || typeof value !== 'object') return flat;
  const inner = ' '.repeat(indent + 2);
  const line = (prefix: string, v: unknown) => `${prefix}${pretty(v, prefix.length, indent + 2)},`;
  if (Array.isArray(value)) {
    if (!value.length) return flat;
    return ['[', ...value.map((v) => line(inner, v)), `${' '.repeat(indent)}]`].join('\n');
  }
  const entries = entriesOf(value);
  if (!entries.length) return flat;
  return ['{', ...entries.map(([k, v]) => line(`${inner}${objectKey(k)}: `, v)), `${' '.repeat(indent)}}`].join('\n');
}

/** Words of `text` on lines of at most `width` characters (a single longer word keeps its own line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Like `pretty`, but always one element or entry per line at the top level (tables read better so). */
export function prettyBlock(value: object, indent = 0): string {
  const inner = ' '.repeat(indent + 2);
  const line = (prefix: string, v: unknown) => `${prefix}${pretty(v, prefix.length, indent + 2)},`;
  const lines = Array.isArray(value) ? value.map((v) => line(inner, v)) : entriesOf(value).map(([k, v]) => line(`${inner}${objectKey(k)}: `, v));
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return lines.length ? [open, ...lines, `${' '.repeat(indent)}${close}`].join('\n') : `${open}${close}`;
}
