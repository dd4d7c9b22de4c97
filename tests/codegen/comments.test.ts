/**
 * Reads every comment of every generated file of every example (the runtime's
 * included) as a reviewer would: each prose paragraph is complete — brackets
 * balanced, no clause cut off before a parenthesis or a full stop, ending with
 * punctuation — and every identifier it puts in backticks exists, in the
 * export's code or in the model. Code inside comments (usage examples, the
 * step listing) is recognised by its indentation and not read as prose.
 */
import { describe, expect, it } from 'vitest';
import { generate, type GeneratedFile } from '@/lib/codegen';
import type { AnalyzedModel } from '@/lib/model';
import { examples } from './helpers';

interface Paragraph {
  file: string;
  line: number;
  text: string;
  /** The paragraph introduces code lines (a listing or an example) that follow it. */
  beforeCode: boolean;
}

/** A comment: its text lines (markers stripped) and the line it starts on. */
interface Comment {
  line: number;
  lines: string[];
}

/** Every comment of a TypeScript file: block comments, runs of whole-line `//` comments, trailing `//` comments. */
function commentsOf(content: string): { comments: Comment[]; code: string } {
  const comments: Comment[] = [];
  const code: string[] = [];
  const lines = content.split('\n');
  let run: Comment | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const whole = /^\s*\/\/ ?(.*)$/.exec(line);
    if (whole) {
      run ??= { line: i + 1, lines: [] };
      run.lines.push(whole[1]!);
      continue;
    }
    if (run) comments.push(run);
    run = null;
    const block = /^\s*\/\*\*?(.*)$/.exec(line);
    if (block && !line.includes('*/', line.indexOf('/*') + 2)) {
      const body: string[] = [block[1]!.trim()];
      const start = i + 1;
      while (++i < lines.length && !lines[i]!.includes('*/')) body.push(lines[i]!.replace(/^\s*\* ?/, ''));
      comments.push({ line: start, lines: body.filter((l, n) => n > 0 || l) });
      continue;
    }
    const inline = /^(.*?)\/\*\*? (.*) \*\/(.*)$/.exec(line);
    if (inline && !/['"`]/.test(inline[1]!)) {
      comments.push({ line: i + 1, lines: [inline[2]!] });
      code.push(`${inline[1]} ${inline[3]}`);
      continue;
    }
    // A trailing comment: `//` outside strings (the generated code keeps `//` out of its strings but URLs).
    const trailing = /^(.*?[;,{)])\s+\/\/ (.*)$/.exec(line);
    if (trailing && !/['"`][^'"`]*$/.test(trailing[1]!)) {
      comments.push({ line: i + 1, lines: [trailing[2]!] });
      code.push(trailing[1]!);
      continue;
    }
    code.push(line);
  }
  if (run) comments.push(run);
  return { comments, code: code.join('\n') };
}

/** Prose paragraphs of a comment: lines indented further (code) and blank lines end a paragraph. */
function paragraphsOf(file: string, comment: Comment): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | null = null;
  comment.lines.forEach((raw, n) => {
    const isCode = /^\s{2,}\S/.test(raw) || /^[─-]{3}/.test(raw.trim()) || raw.trim().startsWith('@example');
    if (isCode || !raw.trim()) {
      if (current && isCode) current.beforeCode = true;
      if (current) out.push(current);
      current = null;
      return;
    }
    if (current) current.text += ` ${raw.trim()}`;
    else current = { file, line: comment.line + n, text: raw.trim(), beforeCode: false };
  });
  if (current) out.push(current);
  return out;
}

/** Words a parenthesis cannot follow: the clause before it was cut off ("when both are (…)"). */
const BEFORE_PARENTHESIS = new Set('a an the and or nor but if when while because that than is are was were be been being has have had'.split(' '));
/** Words a sentence cannot end with. */
const BEFORE_FULL_STOP = new Set('a an the and or nor but if when while because than'.split(' '));

/** Text with backticked spans and double-quoted model strings blanked (they may hold any characters). */
const prose = (text: string) => text.replace(/`[^`]*`/g, '`x`').replace(/"(?:[^"\\]|\\.)*"/g, '"x"');

function problemsOf(p: Paragraph, known: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const text = prose(p.text);
  if ((p.text.match(/`/g) ?? []).length % 2) problems.push('unbalanced backticks');
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']] as const) {
    let depth = 0;
    for (const ch of text) {
      if (ch === open) depth++;
      if (ch === close && --depth < 0) break;
    }
    if (depth !== 0) problems.push(`unbalanced ${open}${close}`);
  }
  if (!/[.:!?]$/.test(text.replace(/[)"'`*]+$/, '')) && !(p.beforeCode && /[.:,;]$/.test(text))) problems.push('does not end with punctuation');
  for (const m of text.matchAll(/([A-Za-z]+)\s*(\(|[.;]\s|[.;]$)/g)) {
    const word = m[1]!.toLowerCase();
    if ((m[2] === '(' ? BEFORE_PARENTHESIS : BEFORE_FULL_STOP).has(word)) problems.push(`a clause ends with '${m[1]}' before '${m[2]!.trim()}'`);
  }
  for (const m of p.text.matchAll(/`((?:[A-Za-z_]|\$[A-Za-z_])[\w$]*)(?=[.(`])[^`]*`/g)) {
    if (!known.has(m[1]!)) problems.push(`\`${m[1]}\` names nothing in the export or the model`);
  }
  return problems;
}

/** Names a comment may put in backticks: every word of the export's code and every name of the model. */
function knownNames(files: readonly GeneratedFile[], model: AnalyzedModel): Set<string> {
  const known = new Set<string>();
  for (const f of files) for (const w of commentsOf(f.content).code.match(/[A-Za-z_$][\w$]*/g) ?? []) known.add(w);
  for (const r of model.catalog.resources.values()) {
    known.add(r.name);
    for (const f of r.fields.keys()) known.add(f);
    for (const s of r.states) known.add(s);
  }
  for (const op of model.operations.values()) {
    known.add(op.name);
    for (const p of op.params) known.add(p.name);
    for (const l of op.locals.keys()) known.add(l);
  }
  for (const l of model.document.locks) known.add(l.name);
  // Named in comments, not in the code by design: packages and clients (`pg`'s Pool, `prisma.share`),
  // the CLI, JavaScript's `__proto__`, PostgreSQL's `pg_advisory_lock`.
  for (const external of ['pg', 'prisma', 'lockstep', '__proto__', 'pg_advisory_lock']) known.add(external);
  return known;
}

describe('generated comments read as complete sentences naming real things', () => {
  const all = examples();
  it('has examples', () => expect(all.length).toBeGreaterThan(0));
  for (const { file, model } of all) {
    it(file, () => {
      const files = generate(model, { version: 1 });
      const known = knownNames(files, model);
      const problems: string[] = [];
      let paragraphs = 0;
      for (const f of files.filter((f) => f.path.endsWith('.ts'))) {
        for (const comment of commentsOf(f.content).comments) {
          if (/^\s*(eslint-|@ts-|prettier-)/.test(comment.lines[0] ?? '')) continue; // a tool directive, not prose
          for (const p of paragraphsOf(f.path, comment)) {
            paragraphs++;
            for (const problem of problemsOf(p, known)) problems.push(`${p.file}:${p.line}: ${problem}: ${p.text}`);
          }
        }
      }
      expect(paragraphs).toBeGreaterThan(20);
      expect(problems).toEqual([]);
    });
  }
});

describe('the comment reader', () => {
  const check = (text: string, known: string[] = []) => problemsOf({ file: 'f', line: 1, text, beforeCode: false }, new Set(known));
  it('catches the broken sentence generated before (a clause cut off by a parenthesis)', () => {
    const broken =
      'PostgreSQL only detects a conflict with a transaction guard that read this row when both are (PostgreSQL: BEGIN ISOLATION LEVEL SERIALIZABLE, retried on 40001/40P01; SQLite: BEGIN IMMEDIATE; Prisma: $transaction with isolationLevel Serializable, retried on P2034).';
    expect(check(broken)).toContain("a clause ends with 'are' before '('");
  });
  it('catches unbalanced brackets, a missing full stop, and a backticked name that does not exist', () => {
    expect(check('Runs (in one transaction.')).toContain('unbalanced ()');
    expect(check('Runs in one transaction')).toContain('does not end with punctuation');
    expect(check('Call `withLocks(…)` first.', ['using'])).toContain('`withLocks` names nothing in the export or the model');
    expect(check('Call `withLocks(…)` first (see `LOCKS`).', ['withLocks', 'LOCKS'])).toEqual([]);
  });
});
