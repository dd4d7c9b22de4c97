/**
 * The trace view marks a liveness lasso: "loop starts here" before the first
 * repeating step and "back to …" after the last, as text in the table (what a
 * screen reader reads), and the violation sentence says which steps repeat.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '@/lib/model/validate';
import { checkScenario } from '@/lib/check/check';
import { openSession, replayMoves } from '@/lib/check/replay';
import { Swimlanes } from '@/components/trace/Swimlanes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function lasso(file: string) {
  const analyzed = analyzeModel(JSON.parse(readFileSync(join(process.cwd(), 'tests', 'liveness-spin', file), 'utf8')));
  if (!analyzed.ok) throw new Error('invalid');
  const result = checkScenario(analyzed.value, 'live');
  return { result, session: openSession(analyzed.value, 'live') };
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('trace view: a lasso', () => {
  it('marks where the loop starts and where it goes back to, around the repeating rows', () => {
    const { result } = lasso('crash-never-released.json');
    const k = result.violation!.cycleStart!;
    const n = result.trace!.steps.length;
    expect(k).toBeGreaterThan(0);
    const html = renderToStaticMarkup(createElement(Swimlanes, { initial: result.trace!.initial, steps: result.trace!.steps, current: n, cycleStart: k }));
    const rows = [...html.matchAll(/data-testid="(trace-row|loop-start|loop-end)"(?: [^>]*data-step="(\d+)")?/g)].map((m) => (m[1] === 'trace-row' ? m[2] : m[1]));
    // initial, prefix rows 1..k, the marker, cycle rows k+1..n, the back marker.
    expect(rows).toEqual([...Array.from({ length: k + 1 }, (_, i) => String(i)), 'loop-start', ...Array.from({ length: n - k }, (_, i) => String(k + 1 + i)), 'loop-end']);
    expect(text(html)).toContain(`Loop starts here: steps ${k + 1}–${n} repeat for ever`);
    expect(text(html)).toContain(`Back to the state after step ${k}: the loop repeats from step ${k + 1}`);
  });

  it('no markers on a trace without a cycle', () => {
    const { result } = lasso('crash-never-released.json');
    const html = renderToStaticMarkup(createElement(Swimlanes, { initial: result.trace!.initial, steps: result.trace!.steps, current: 0 }));
    expect(html).not.toContain('loop-start');
    expect(html).not.toContain('loop-end');
  });

  it('replaying the stored moves closes the loop: the last state is the state the cycle starts from', () => {
    const { result, session } = lasso('busy-wait.json');
    const r = replayMoves(session, result.trace!.steps.map((s) => s.move));
    const k = result.violation!.cycleStart!;
    expect(r.states[r.states.length - 1]).toEqual(r.states[k]);
  });
});
