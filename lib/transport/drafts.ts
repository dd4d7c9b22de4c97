/**
 * Drafts and saving versions over HTTP: the shapes /api/models/:id/draft and
 * POST /api/models/:id/versions send and accept.
 * Client components import these; lib/db and lib/server build them.
 * Type-only imports keep this file free of runtime dependencies.
 */
import type { VersionSummary } from './models';
import type { MergeConflict, Resolution } from '@/lib/model/merge';

export type { MergeConflict, Resolution } from '@/lib/model/merge';

/** One problem, named by its path (the API's error shape). */
export interface ApiIssueShape {
  path: string;
  message: string;
  code?: string;
}

/** A user's unsaved work on a model. `document` may be invalid mid-edit. */
export interface Draft {
  modelId: string;
  baseVersion: number;
  document: unknown;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/models/:id/draft */
export interface DraftReply {
  draft: Draft | null;
}

/** PUT /api/models/:id/draft */
export interface PutDraftBody {
  baseVersion: number;
  document: unknown;
}

/** The version a save was merged with (the head someone else saved). */
export type HeadSummary = VersionSummary;

/** POST /api/models/:id/versions */
export interface SaveVersionBody {
  baseVersion: number;
  document: unknown;
  message?: string;
  /** Answers to the conflicts of an earlier 409, by conflict id. */
  resolutions?: Record<string, Resolution>;
  /** The head those conflicts were computed against: if another version was saved since, the server asks again. */
  headVersion?: number;
}

/** 201: `merged` when the save was based on an older version and merged cleanly with `mergedWith`. */
export interface SavedReply<V> {
  version: V;
  merged: boolean;
  mergedWith?: HeadSummary;
}

/** 409: stale base, the merge needs a person. `merged` holds head's side at each conflict. */
export interface ConflictReply {
  error: string;
  issues: ApiIssueShape[];
  conflicts: MergeConflict[];
  head: HeadSummary;
  baseVersion: number;
  merged: unknown;
}

/** 422: merged (and resolved) cleanly, but the result does not validate; nothing was saved. */
export interface InvalidMergeReply {
  error: string;
  issues: ApiIssueShape[];
  head: HeadSummary;
  baseVersion: number;
  merged: unknown;
}
