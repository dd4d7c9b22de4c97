'use client';

import { useMemo } from 'react';
import type { AnalyzedModel } from '@/lib/model';
import type { StateView, TraceStep, Violation } from '@/lib/check';
import { openSession, replayMoves, type ReplayOptions } from '@/lib/check/replay';
import { explainViolationValues, type ViolationExplanation } from '@/lib/check/explain';

export interface ReplayedTrace {
  initial: StateView;
  steps: TraceStep[];
  views: StateView[];
  /** Where the design broke: the last step's violation (or the initial state's). */
  violation: Violation | null;
  /** Set when the moves do not replay on this model (another version, say). */
  problem: string | null;
  /** The values that make the broken invariant or assertion false at the end (null: not that kind, or not known here). */
  explanation?: ViolationExplanation | null;
}

/** The explanation of `violation` at the end of `views` (the last view is the state it was found in). */
export function explainAtEnd(model: AnalyzedModel, scenario: string, violation: Violation | null, views: StateView[]): ViolationExplanation | null {
  if (!violation || views.length === 0) return null;
  return explainViolationValues(model, scenario, violation, views.length > 1 ? views[views.length - 2] : null, views[views.length - 1]);
}

/** Rebuilds a trace from its move codes through lib/check's step API. */
export function useReplay(model: AnalyzedModel, scenario: string, options: ReplayOptions, moves: readonly number[], reported: Violation | null = null): ReplayedTrace {
  const key = moves.join(',');
  return useMemo(() => {
    try {
      const session = openSession(model, scenario, options);
      const r = replayMoves(session, moves);
      const views = [session.initialView, ...r.steps.map((s) => s.state)];
      const violation = (moves.length === 0 ? session.initialViolation : (r.violations.at(-1) ?? null)) ?? lassoOf(reported, r.states, r.rejectedAt);
      return {
        initial: session.initialView,
        steps: r.steps,
        views,
        violation,
        problem: r.rejectedAt === null ? null : `move ${r.rejectedAt + 1} of the trace is not enabled in this model`,
        explanation: r.rejectedAt === null ? explainAtEnd(model, scenario, violation, views) : null,
      };
    } catch (error) {
      return { initial: emptyView, steps: [], views: [emptyView], violation: null, problem: (error as Error).message };
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, scenario, options.symmetry, options.mergeLocalSteps, key, reported?.cycleStart, reported?.message]);
}

/**
 * A liveness violation ends in no safety violation: the reported one is
 * shown when its lasso closes on replay (the last state is the state its
 * cycle starts from), so the view never claims a loop that is not there.
 */
function lassoOf(reported: Violation | null, states: Int32Array[], rejectedAt: number | null): Violation | null {
  const k = reported?.cycleStart;
  if (k === undefined || rejectedAt !== null || k >= states.length - 1) return null;
  const from = states[k];
  const to = states[states.length - 1];
  return from.length === to.length && from.every((v, i) => v === to[i]) ? reported : null;
}

const emptyView: StateView = { instances: [], locks: [], processes: [], faultsLeft: { crash: 0, leaseExpiry: 0, callFailure: 0 } };
