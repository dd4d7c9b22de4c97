/**
 * Models and versions over HTTP: the shapes /api/models… answer with and the
 * server renders into pages. Client components import these; lib/db builds
 * them from its rows (lib/db/models.ts). Type-only: no runtime dependencies.
 */
import type { ModelDocument } from '@/lib/model';
import type { MyWorkspace } from './workspaces';

export interface ModelSummary {
  id: string;
  name: string;
  description: string;
  headNumber: number;
  versionCount: number;
  /** The owning workspace; null for a shipped example (the read-only gallery). */
  workspaceId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VersionSummary {
  number: number;
  author: string;
  message: string;
  createdAt: string;
  basedOn: number | null;
}

export interface VersionRecord extends VersionSummary {
  modelId: string;
  document: ModelDocument;
}

export interface ModelWithHead extends ModelSummary {
  head: VersionRecord;
}

/** What the model page may offer the signed-in account (lib/server/model-access.ts decides it). */
export interface ModelAccess {
  /** The account may save versions (editor and up, never for an example). */
  canWrite: boolean;
  /** The account may delete the model (admin and up, never for an example). */
  canDelete: boolean;
  /** The model's workspace name; null for a shipped example. */
  workspace: string | null;
  /** For an example: the workspaces "Use as template" may copy into. */
  templateTargets: MyWorkspace[];
}
