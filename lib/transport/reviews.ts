/**
 * Reviews over HTTP: the shapes /api/models/:id/reviews/** sends and accepts.
 * Client components import these; lib/db and lib/server build them.
 * Type-only imports keep this file free of runtime dependencies.
 */
import type { DiffEntry } from '@/lib/editor/diff';
import type { Lint } from '@/lib/check/lints';
import type { ViolationKind } from '@/lib/model/schema';
import type { Anchor, AnchorStatus } from '@/lib/reviews/anchor';

export type { Anchor, AnchorStatus, StepAnchorPath } from '@/lib/reviews/anchor';

/** Stored status: a review is open until someone closes it (a closed review may be reopened). */
export type ReviewStatus = 'open' | 'closed';
export type ReviewDecisionKind = 'approve' | 'request-changes';
/**
 * Derived from the decisions made on the review's current version (decisions on
 * an earlier version are kept but no longer count): any request for changes
 * wins over approvals; null when nobody has decided on this version yet.
 */
export type ReviewOutcome = 'approved' | 'changes-requested' | null;

export interface ReviewSummary {
  /** Per model, from 1, like a pull request number. */
  number: number;
  modelId: string;
  title: string;
  description: string;
  author: string;
  authorId: string | null;
  status: ReviewStatus;
  outcome: ReviewOutcome;
  /** When the current outcome became 'approved' (the approving decision's time), else null. */
  approvedAt: string | null;
  /** The version under review. */
  versionNumber: number;
  /** The version it is compared against; null for none (the first version). */
  baseNumber: number | null;
  threadCount: number;
  unresolvedThreadCount: number;
  createdAt: string;
  updatedAt: string;
}

/** The most recently approved review's version (model page: "approved: v7"). */
export interface ApprovedVersion {
  versionNumber: number;
  reviewNumber: number;
  approvedAt: string;
}

/** GET /api/models/:id/reviews */
export interface ReviewList {
  reviews: ReviewSummary[];
  approved: ApprovedVersion | null;
}

export type RunVerification = 'verified' | 'reported' | 'refuted' | 'too-large';

/** One scenario's result at one version, as the verdict diff compares it. */
export interface ScenarioVerdict {
  verdict: 'pass' | 'violation' | 'incomplete';
  /** The violation's kind, for a violation. */
  kind?: ViolationKind;
  /** Moves in the shortest trace found, for a violation. */
  traceLength?: number;
  states: number;
  transitions: number;
  verification: RunVerification;
  /** The stored CheckRun (null from the CLI, which stores nothing). */
  runId: string | null;
  /** Whether the result meets the scenario's `expect` (true when it has none and passes). */
  meetsExpectation: boolean;
}

export interface VerdictDiffRow {
  scenario: string;
  /** Null: the scenario does not exist at that side. */
  before: ScenarioVerdict | null;
  after: ScenarioVerdict | null;
  /** What a person reads, e.g. "violation → pass", "pass, 17 → 23 states", "trace 7 → 5 moves", "reported → verified", "added", "removed". Empty: unchanged. */
  changes: string[];
  /** Met its expect before, does not now. */
  regressed: boolean;
}

export interface VerdictDiff {
  /**
   * 'pending' until the server has a verdict for every scenario of both versions;
   * 'failed' when the server's check of a version failed for good (it is not retried
   * until someone asks for it again).
   */
  status: 'pending' | 'ready' | 'failed';
  /** Only when ready (empty otherwise). */
  rows: VerdictDiffRow[];
  /** While pending or failed: how many scenario checks are done, of how many. */
  progress?: { done: number; total: number };
  /** When failed: which version's check failed, why, and when. */
  failures?: Array<{ versionNumber: number; error: string; at: string }>;
}

export interface LintDiff {
  appeared: Lint[];
  resolved: Lint[];
}

export interface ReviewComment {
  id: string;
  threadId: string;
  author: string;
  authorId: string | null;
  body: string;
  createdAt: string;
}

export interface ReviewThread {
  id: string;
  reviewNumber: number;
  anchor: Anchor;
  /** The version the thread was written on. */
  versionNumber: number;
  /** The anchor at the review's current version. Outdated threads stay readable. */
  anchorStatus: AnchorStatus;
  /** For a step anchor still found at the current version: where it is now (it may have moved). */
  currentPath?: Array<number | 'then' | 'else' | 'steps' | 'onFail'>;
  /** For a trace-step anchor: the version the run checked (its trace replays on that version's document); absent when the run is gone. */
  runVersionNumber?: number;
  /** What a person reads for the anchor, e.g. "state Share.deleting", "deleteShare step 3 (cas)". */
  anchorLabel: string;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedAt: string | null;
  author: string;
  authorId: string | null;
  createdAt: string;
  /** Oldest first; the first comment opens the thread. */
  comments: ReviewComment[];
}

export interface ReviewDecision {
  id: string;
  decision: ReviewDecisionKind;
  body: string;
  author: string;
  authorId: string | null;
  /** The version decided on. */
  versionNumber: number;
  /** Whether it was made on the review's current version (only those count). */
  current: boolean;
  createdAt: string;
}

/** What the signed-in account may do here (the UI hides what it cannot). */
export interface ReviewPermissions {
  comment: boolean;
  resolve: boolean;
  decide: boolean;
  /** Move to another version, retitle, close/reopen: the author and editors+. */
  edit: boolean;
  isAuthor: boolean;
}

/** GET /api/models/:id/reviews/:n */
export interface ReviewDetail {
  review: ReviewSummary;
  /** From the base version to the review's version (empty without a base). */
  structuralDiff: DiffEntry[];
  verdictDiff: VerdictDiff;
  lintDiff: LintDiff;
  threads: ReviewThread[];
  decisions: ReviewDecision[];
  permissions: ReviewPermissions;
}

// Request bodies.

/** POST /api/models/:id/reviews — baseVersion omitted: the last approved version, else version − 1, else none; null: none. */
export interface OpenReviewBody {
  version: number;
  baseVersion?: number | null;
  title: string;
  description?: string;
}

/** PATCH /api/models/:id/reviews/:n */
export interface UpdateReviewBody {
  version?: number;
  baseVersion?: number | null;
  status?: ReviewStatus;
  title?: string;
  description?: string;
}

/** POST /api/models/:id/reviews/:n/threads */
export interface NewThreadBody {
  anchor: Anchor;
  body: string;
}

/** POST /api/models/:id/reviews/:n/threads/:threadId/comments */
export interface NewCommentBody {
  body: string;
}

/** PATCH /api/models/:id/reviews/:n/threads/:threadId */
export interface ResolveThreadBody {
  resolved: boolean;
}

/** POST /api/models/:id/reviews/:n/decisions */
export interface NewDecisionBody {
  decision: ReviewDecisionKind;
  body?: string;
}

/**
 * One thread shown read-only through a share link (`POST /api/share` with
 * `threadId`): no model id, no ids to write with. The share's version is the
 * version the thread was written on, so its anchor is shown as written.
 */
export interface SharedThread {
  reviewNumber: number;
  reviewTitle: string;
  anchor: Anchor;
  anchorLabel: string;
  versionNumber: number;
  resolved: boolean;
  comments: Array<{ author: string; body: string; createdAt: string }>;
}

/** Bounds the server enforces (the UI shows them as maxLength). */
export const REVIEW_LIMITS = {
  title: 200,
  description: 10_000,
  comment: 10_000,
} as const;
