/**
 * A small syntax highlighter for the generated files: TypeScript (comments,
 * strings, template strings, numbers, keywords, types) and Markdown (headings,
 * fences, HTML comments). Pure; returns tokens for the view to render as spans.
 */
export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'type' | 'heading' | 'fence' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set(
  'as async await break case catch class const continue default do else export extends false finally for from function if import in instanceof interface let new null readonly return satisfies switch this throw true try type typeof undefined void while keyof infer'.split(' '),
);

const TS = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\[\s\S])*`)|(\b\d[\d_]*(?:\.\d+)?n?\b)|([A-Za-z_$][\w$]*)/g;

function push(out: Token[], kind: TokenKind, text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

export function highlightTs(source: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  for (const m of source.matchAll(TS)) {
    push(out, 'plain', source.slice(at, m.index));
    const [text, comment, string, number, word] = m;
    if (comment) push(out, 'comment', text);
    else if (string) push(out, 'string', text);
    else if (number) push(out, 'number', text);
    else if (word && KEYWORDS.has(word)) push(out, 'keyword', text);
    else if (word && /^[A-Z]/.test(word)) push(out, 'type', text);
    else push(out, 'plain', text);
    at = m.index + text.length;
  }
  push(out, 'plain', source.slice(at));
  return out;
}

export function highlightMarkdown(source: string): Token[] {
  const out: Token[] = [];
  let inFence = false;
  let inComment = false;
  for (const line of source.split(/(?<=\n)/)) {
    if (inComment || line.startsWith('<!--')) {
      push(out, 'comment', line);
      inComment = !line.includes('-->');
    } else if (line.startsWith('```')) {
      push(out, 'fence', line);
      inFence = !inFence;
    } else if (inFence) push(out, 'plain', line);
    else if (/^#{1,6} /.test(line)) push(out, 'heading', line);
    else push(out, 'plain', line);
  }
  return out;
}

export function highlight(path: string, source: string): Token[] {
  return path.endsWith('.md') ? highlightMarkdown(source) : highlightTs(source);
}
