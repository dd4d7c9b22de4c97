/** Plain-text rendering of check results for the terminal. */
import type { CheckResult, Lint, StateView, TraceStep } from '../../lib/check';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (t: string) => paint(32, t);
const red = (t: string) => paint(31, t);
const yellow = (t: string) => paint(33, t);
const dim = (t: string) => paint(2, t);

function verdictText(result: CheckResult): string {
  if (result.verdict === 'pass') return 'pass';
  if (result.verdict === 'incomplete') return `incomplete (${result.incompleteReason})`;
  const v = result.violation!;
  return `violation: ${v.kind}${v.name && v.kind === 'invariant' ? ` ${v.name}` : ''}`;
}

function expectText(result: CheckResult): string {
  const e = result.expected;
  if (!e) return 'no expectation';
  return e.verdict === 'pass' ? 'expected pass' : `expected ${e.kind}${e.name ? ` ${e.name}` : ''}`;
}

export function formatStats(result: CheckResult): string {
  const s = result.stats;
  if (result.simulation) {
    return `random simulation: ${result.simulation.runs.toLocaleString('en')} schedules (seed ${result.simulation.seed}), ${s.transitions.toLocaleString('en')} steps, ${s.elapsedMs} ms`;
  }
  return `${s.distinctStates.toLocaleString('en')} states, ${s.transitions.toLocaleString('en')} transitions, depth ${s.depth}, ${s.elapsedMs} ms, ${s.statesPerSecond.toLocaleString('en')} states/s, ${s.bytesPerState} B/state${(s.threads ?? 1) > 1 ? `, ${s.threads} threads` : ''}`;
}

export function formatState(state: StateView): string {
  const instances = state.instances
    .map((i) => `${i.name}=${i.state}${Object.entries(i.fields).map(([k, v]) => ` ${k}=${v}`).join('')}`)
    .join('  ');
  const locks = state.locks
    .filter((l) => l.holders.length > 0 || l.expired.length > 0)
    .map((l) => {
      const name = (l.instance ? `${l.lock}(${l.instance})` : l.lock) + (l.domain ? `@${l.domain}` : '');
      const holders = l.holders.map((h) => `${h.process}${h.mode === 'shared' ? ' shared' : ''}${h.note ? ` ${h.note}` : ''}`);
      const expired = l.expired.map((p) => `${p} (expired)`);
      return `${name} held by ${[...holders, ...expired].join(', ')}`;
    });
  return locks.length > 0 ? `${instances}  | ${locks.join('; ')}` : instances;
}

function formatStep(step: TraceStep, index: number): string[] {
  const what =
    step.kind === 'step'
      ? step.steps.map((s) => `${s.label ? `[${s.label}] ` : ''}${s.text}`).join('; ')
      : step.kind === 'call-fails'
        ? `${step.steps.map((s) => s.text).join('; ')} — the call fails`
        : step.kind;
  const lines = [`  ${String(index + 1).padStart(2)}. ${step.process}: ${what}`];
  for (const event of step.events) lines.push(`        ${dim('·')} ${event.text}`);
  lines.push(`        ${dim('→')} ${dim(formatState(step.state))}`);
  return lines;
}

export function formatResult(result: CheckResult, options: { traces: boolean }): string {
  const acceptable = result.meetsExpectation ?? result.verdict === 'pass';
  const mark = acceptable ? green('✓') : result.verdict === 'incomplete' ? yellow('?') : red('✗');
  const lines = [
    `${mark} ${result.scenario}: ${verdictText(result)} (${expectText(result)}${result.meetsExpectation === null ? '' : result.meetsExpectation ? ', met' : ', NOT met'})`,
    `  ${dim(formatStats(result))}`,
  ];
  if (result.violation) lines.push(`  ${result.violation.message}`);
  if (options.traces && result.trace) {
    lines.push(`  trace (${result.trace.steps.length} steps, shortest):`);
    lines.push(`     0. initial: ${dim(formatState(result.trace.initial))}`);
    // A liveness lasso: the steps from cycleStart to the end repeat for ever.
    const cycleStart = result.violation?.cycleStart;
    const last = result.trace.steps.length;
    result.trace.steps.forEach((step, i) => {
      if (i === cycleStart) lines.push(`  ── cycle: steps ${i + 1}..${last} repeat for ever ──`);
      lines.push(...formatStep(step, i));
    });
    if (cycleStart !== undefined) lines.push(`  ── back to ${cycleStart === 0 ? 'the initial state' : `the state after step ${cycleStart}`}: steps ${cycleStart + 1}..${last} repeat ──`);
  }
  return lines.join('\n');
}

export function formatSummary(results: CheckResult[], ok: boolean): string {
  const met = results.filter((r) => r.meetsExpectation ?? r.verdict === 'pass').length;
  const line = `${met} of ${results.length} scenario${results.length === 1 ? '' : 's'} as expected`;
  return `\n${ok ? green(line) : red(line)}`;
}

export function formatLint(lint: Lint): string {
  return `${lint.severity === 'error' ? red('error') : yellow('warning')} ${lint.code}: ${lint.message} ${dim(`(${lint.path})`)}`;
}
