/**
 * Check runs and share links over HTTP: what /api/models/:id/versions/:n/runs
 * and /api/share/:id answer, and what the check and share pages render.
 * Client components import these; lib/db stores them and lib/server builds
 * them (lib/server/verify-status.ts, lib/server/runs-api.ts). Type-only.
 */
import type { Verdict, Violation } from '@/lib/check/result';
import type { ServerResult, VerifyBudget } from '@/lib/check/verify';

export type { Verdict, Violation } from '@/lib/check/result';
export type RunStatus = 'reported' | 'verified' | 'refuted' | 'too-large';

/** A stored trace: the moves that replay it and the violation it ends in. */
export interface StoredTrace {
  moves: number[];
  violation: Violation | null;
}

/** A run's verification as every API response and page shows it. */
export interface PublicVerification {
  status: RunStatus;
  /** What the server did and found, in one sentence (null while reported). */
  reason: string | null;
  /** The server's own result when it ran the check: shown instead of the reported one when refuted. */
  server: (ServerResult & { length: number }) | null;
  budget: VerifyBudget | null;
  verifiedAt: string | null;
}

/** GET /api/share/:id: a read-only link to a version, and optionally a run and a step of its trace. */
export interface PublicShare {
  id: string;
  readOnly: true;
  versionNumber: number;
  document: unknown;
  scenario: string | null;
  step: number | null;
  run: {
    verdict: string;
    scenario: string;
    options: unknown;
    stats: unknown;
    /** The reported trace as moves; its states: GET /api/share/:id/steps. */
    trace: (StoredTrace & { length: number }) | null;
    verification: PublicVerification;
    createdAt: string;
  } | null;
  /** A review thread the link shares (lib/transport/reviews.ts), shown in its anchor's context; null for none. */
  thread?: import('./reviews').SharedThread | null;
  createdAt: string;
}

/** One entry of GET /api/models/:id/versions/:n/runs (newest first). */
export interface StoredRunSummary {
  id: string;
  versionNumber: number;
  scenario: string;
  verdict: Verdict;
  author: string;
  createdAt: string;
  steps: number;
  verification: PublicVerification;
  options: { symmetry?: boolean; mergeLocalSteps?: boolean; maxStates?: number; maxDepth?: number; timeLimitMs?: number; runs?: number; seed?: number };
  stats: { distinctStates?: number; transitions?: number; elapsedMs?: number; runs?: number };
  trace: StoredTrace | null;
}
