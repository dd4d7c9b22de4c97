/**
 * Where each value of a JSON text sits, by document path (`operations[1].steps[0].cond`),
 * so problems can be underlined in the JSON view. A small recursive scanner;
 * returns an empty map for text that is not valid JSON.
 */
import { joinPath } from './path';

export type Span = { from: number; to: number };

export function jsonPositions(text: string): Map<string, Span> {
  const out = new Map<string, Span>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (): never => {
    throw new Error('bad json');
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (text[i] !== '"') fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const from = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else
        for (;;) {
          ws();
          const key = string();
          ws();
          if (text[i++] !== ':') fail();
          value(joinPath(path, key));
          ws();
          if (text[i] === ',') i++;
          else if (text[i] === '}') {
            i++;
            break;
          } else fail();
        }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else
        for (let n = 0; ; n++) {
          value(`${path}[${n}]`);
          ws();
          if (text[i] === ',') i++;
          else if (text[i] === ']') {
            i++;
            break;
          } else fail();
        }
    } else if (c === '"') string();
    else {
      const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
      if (!m) fail();
      i += m![0].length;
    }
    out.set(path, { from, to: i });
  };
  try {
    value('');
    return out;
  } catch {
    return new Map();
  }
}

/** The span for a path, or for the nearest enclosing path that has one. */
export function spanFor(positions: Map<string, Span>, path: string): Span | null {
  let p = path;
  for (;;) {
    const span = positions.get(p);
    if (span) return span;
    if (p === '') return null;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut <= 0 ? '' : p.slice(0, cut);
  }
}
