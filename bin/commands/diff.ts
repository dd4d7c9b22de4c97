/**
 * `lockstep diff OLD.json NEW.json`: checks every scenario of both documents
 * (default options) and prints the verdict diff a review shows — "naive-two-deletes:
 * violation → pass", "fixed: pass, 17 → 23 states" — so a service's CI can gate a
 * design change. Exit 1 when a scenario that met its expect no longer does,
 * 2 when either document is invalid, 0 otherwise.
 */
import './one-shot';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeModelJson, type AnalyzedModel } from '../../lib/model';
import { checkScenario } from '../../lib/check';
import { formatVerdictRow, verdictDiff, verdictOfResult } from '../../lib/reviews/verdict-diff';
import type { ScenarioVerdict } from '../../lib/transport/reviews';
import { EXIT_INVALID, EXIT_OK, EXIT_UNEXPECTED } from './check';

type Loaded = { ok: true; model: AnalyzedModel } | { ok: false };

function load(file: string, err: (line: string) => void): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    err(`lockstep diff: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return { ok: false };
  }
  const analyzed = analyzeModelJson(text);
  if (!analyzed.ok) {
    err(`${file}: the model is not valid (${analyzed.issues.length} problem${analyzed.issues.length === 1 ? '' : 's'})`);
    for (const issue of analyzed.issues) err(`  ${issue.path || '(document)'}: ${issue.message}`);
    return { ok: false };
  }
  return { ok: true, model: analyzed.value };
}

/** Every scenario's result with the default options, as the review's verdict diff compares it. */
function verdicts(model: AnalyzedModel): Map<string, ScenarioVerdict> {
  const out = new Map<string, ScenarioVerdict>();
  for (const s of model.scenarios) out.set(s.source.name, verdictOfResult(checkScenario(model, s.source.name, { symmetry: true, mergeLocalSteps: true })));
  return out;
}

export async function runDiff(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (error) {
    err(`lockstep diff: ${(error as Error).message}`);
    return EXIT_INVALID;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) {
    err('lockstep diff: give the old and the new model file, e.g. lockstep diff main/model.json model.json');
    return EXIT_INVALID;
  }
  const [oldFile, newFile] = positionals;
  const before = load(oldFile, err);
  const after = load(newFile, err);
  if (!before.ok || !after.ok) return EXIT_INVALID;

  const rows = verdictDiff(verdicts(before.model), verdicts(after.model));
  const regressed = rows.filter((r) => r.regressed);
  if (values.json) {
    out(JSON.stringify({ old: oldFile, new: newFile, ok: regressed.length === 0, rows }, null, 2));
  } else {
    for (const row of rows) out(formatVerdictRow(row));
    const changed = rows.filter((r) => r.changes.length > 0).length;
    out(
      regressed.length > 0
        ? `${regressed.length} scenario${regressed.length === 1 ? '' : 's'} no longer meet${regressed.length === 1 ? 's' : ''} ${regressed.length === 1 ? 'its' : 'their'} expect: ${regressed.map((r) => r.scenario).join(', ')}`
        : `${changed} of ${rows.length} scenarios changed; none regressed`,
    );
  }
  return regressed.length > 0 ? EXIT_UNEXPECTED : EXIT_OK;
}
