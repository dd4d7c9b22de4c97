/**
 * A clone is the whole project: no file points at something a clone does not
 * have — a sibling checkout's shared folder, an absolute path on the machine
 * it was written on, or the design notes by their old upper-case names (the
 * design is docs/design.md). Scans every file git tracks or would track (new
 * files count before they are committed); binary files are skipped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Built from pieces so this file does not match itself.
const OUTSIDE: Array<[RegExp, string]> = [
  [new RegExp(['\\.\\.', 'shared', ''].join('/')), 'a sibling checkout'],
  [new RegExp('(?<![\\w.:/~-])' + ['', 'work', ''].join('/')), 'an absolute path on the authoring machine'],
  [new RegExp('\\b(?:' + ['DESIGN', 'STACK', 'STYLE'].join('|') + ')\\.md\\b'), 'a notes file the repository does not have (the design is docs/design.md)'],
];

function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return out.toString('utf8').split('\0').filter(Boolean);
}

/** Every line of `text` that refers outside the repository, as `file:line: why`. */
function outsideReferences(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [pattern, why] of OUTSIDE) if (pattern.test(line)) problems.push(`${file}:${i + 1}: ${why}: ${line.trim().slice(0, 120)}`);
  });
  return problems;
}

describe('the repository is self-contained', () => {
  it('has its design in docs/design.md', () => {
    expect(readFileSync(join(root, 'docs/design.md'), 'utf8')).toMatch(/^# Lockstep — design/);
  });

  it('no text file refers to a file outside the repository', () => {
    const files = projectFiles();
    expect(files).toContain('README.md');
    const problems: string[] = [];
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(root, file));
      } catch {
        continue; // deleted in the work tree, not yet in the index
      }
      if (bytes.includes(0)) continue; // binary (images)
      problems.push(...outsideReferences(file, bytes.toString('utf8')));
    }
    expect(problems).toEqual([]);
  });

  it('the patterns catch each kind of reference, and not look-alikes', () => {
    const flagged = (line: string) => outsideReferences('x', line).length;
    expect(flagged('See [the design](' + ['..', 'shared', 'DESIGN'].join('/') + '.md).')).toBe(2);
    expect(flagged("const corpus = '/" + "work/shared/bench/x.json';")).toBe(1);
    expect(flagged('"/' + 'work/main/.tmp/app.db"')).toBe(1);
    expect(flagged('// the lock semantics of ' + 'DESIGN' + '.md section 2')).toBe(1);
    expect(flagged('https://example.com/work/items and docs/design.md, a shared/try lock, homework/')).toBe(0);
  });
});
