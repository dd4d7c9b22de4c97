/**
 * Check runs and read-only share links over HTTP, as plain functions from
 * parsed input to Response (the routes under app/api only pass params).
 *
 * The browser runs the checker; it posts the verdict, statistics and the
 * trace as move codes. The server replays the moves through lib/check's step
 * API against the stored version, refuses a trace that does not replay to the
 * claimed violation, and stores the replayed trace (full states), so a stored
 * run always shows what that version really does.
 *
 * A share link resolves to a view that carries no model id: nothing reached
 * through it can address the model for a write, and /api/share/:id answers
 * only GET.
 */
import { z } from 'zod';
import { formatPath, violationKindSchema } from '@/lib/model';
import { meetsExpectation, type Trace } from '@/lib/check';
import { getVersion } from '@/lib/db/models';
import { createShareLink, getCheckRun, recordCheckRun, resolveShareLink, type CheckRunRecord } from '@/lib/db/runs';
import { analyze, openSession, replayMoves } from '@/lib/browser/replay';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, type ApiIssue } from './http';

const count = z.number().finite().min(0);
const limit = z.number().int().min(1).max(2 ** 31 - 1);

export const runSchema = z
  .object({
    scenario: z.string().min(1).max(200),
    mode: z.enum(['exhaustive', 'random']),
    options: z
      .object({
        symmetry: z.boolean(),
        mergeLocalSteps: z.boolean(),
        maxStates: limit.optional(),
        maxDepth: limit.optional(),
        timeLimitMs: limit.optional(),
        runs: limit.optional(),
        seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
      })
      .strict(),
    verdict: z.enum(['pass', 'violation', 'incomplete']),
    incompleteReason: z.enum(['max-states', 'max-depth', 'time-limit', 'stopped', 'simulation']).optional(),
    violation: z
      .object({ kind: violationKindSchema, message: z.string().max(10_000), name: z.string().max(200).optional(), process: z.string().max(200).optional() })
      .strict()
      .nullable(),
    stats: z
      .object({
        distinctStates: count,
        transitions: count,
        depth: count,
        queue: count,
        elapsedMs: count,
        statesPerSecond: count,
        bytes: count.optional(),
        bytesPerState: count.optional(),
        runs: count.optional(),
      })
      .strict(),
    /** The trace as move codes (TraceStep.move), replayed here through the step API. */
    moves: z.array(z.number().int().min(0).max(2 ** 31 - 1)).max(100_000).default([]),
  })
  .strict()
  .superRefine((run, ctx) => {
    if (run.verdict === 'violation' && !run.violation) ctx.addIssue({ code: 'custom', path: ['violation'], message: 'a violation verdict needs its violation' });
    if (run.verdict !== 'violation' && run.violation) ctx.addIssue({ code: 'custom', path: ['violation'], message: `a ${run.verdict} verdict has no violation` });
    if (run.verdict !== 'violation' && run.moves.length > 0) ctx.addIssue({ code: 'custom', path: ['moves'], message: 'only a violation has a trace' });
    if (run.verdict === 'incomplete' && !run.incompleteReason) ctx.addIssue({ code: 'custom', path: ['incompleteReason'], message: 'say why the run is incomplete' });
  });

export type RunInput = z.input<typeof runSchema>;

const shareSchema = z
  .object({
    modelId: z.string().min(1).max(100),
    versionNumber: z.number().int().min(1).max(2 ** 31 - 1),
    runId: z.string().min(1).max(100).optional(),
    scenario: z.string().min(1).max(200).optional(),
    step: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

const zodIssues = (error: z.ZodError): ApiIssue[] => error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));

function parseVersionNumber(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 2 ** 31 - 1 ? n : null;
}

/** What a stored run holds in its `trace` column: the replayed trace and its violation. */
export interface StoredTrace extends Trace {
  violation: { kind: string; message: string; name?: string; process?: string };
}

/** POST /api/models/:id/versions/:n/runs — stores a run the browser computed. */
export async function recordRun(request: Request, modelId: string, rawNumber: string): Promise<Response> {
  const number = parseVersionNumber(rawNumber);
  if (number === null) return notFound('version');
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = runSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const run = parsed.data;

  const db = await getDb();
  const version = await getVersion(db.prisma, modelId, number);
  if (!version) return notFound('version');
  const analyzed = analyze(version.document);
  if (!analyzed.ok) return apiError(422, `version ${number} is not a valid model`, analyzed.issues);
  const scenario = analyzed.model.scenarios.find((s) => s.source.name === run.scenario);
  if (!scenario) return apiError(400, 'invalid request', [{ path: 'scenario', message: `version ${number} has no scenario '${run.scenario}'` }]);

  let trace: StoredTrace | null = null;
  if (run.verdict === 'violation') {
    const session = openSession(analyzed.model, run.scenario, run.options);
    const replay = replayMoves(session, run.moves);
    if (replay.rejectedAt !== null) {
      return apiError(422, 'the trace does not replay on this version', [{ path: `moves[${replay.rejectedAt}]`, message: 'this move is not enabled here' }]);
    }
    const reached = run.moves.length === 0 ? session.initialViolation : replay.violations.at(-1) ?? null;
    const claimed = run.violation!;
    if (!reached || reached.kind !== claimed.kind || (claimed.name !== undefined && reached.name !== claimed.name)) {
      return apiError(422, 'the trace does not end in the reported violation', [
        { path: 'moves', message: reached ? `it ends in ${reached.kind}${reached.name ? ` ${reached.name}` : ''}` : 'it ends in no violation' },
      ]);
    }
    trace = { initial: session.initialView, steps: replay.steps, violation: reached };
  }

  const expected = scenario.source.expect ?? null;
  const violation = trace?.violation ?? null;
  const record = await recordCheckRun(db.prisma, {
    modelId,
    versionNumber: number,
    scenario: run.scenario,
    options: { mode: run.mode, ...run.options },
    verdict: run.verdict,
    stats: {
      ...run.stats,
      ...(run.incompleteReason ? { incompleteReason: run.incompleteReason } : {}),
      meetsExpectation: expected ? meetsExpectation(expected, run.verdict, violation as Parameters<typeof meetsExpectation>[2]) : null,
    },
    ...(trace ? { trace } : {}),
  });
  if (!record) return notFound('version');
  return json({ run: summary(record) }, 201, { location: `/api/runs/${record.id}` });
}

function summary(r: CheckRunRecord) {
  return { id: r.id, versionNumber: r.versionNumber, scenario: r.scenario, verdict: r.verdict, createdAt: r.createdAt, steps: (r.trace as StoredTrace | null)?.steps.length ?? 0 };
}

/** POST /api/share — `{ modelId, versionNumber, runId?, scenario?, step? }` → 201 `{ id, url }`. */
export async function createShare(request: Request): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = shareSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;
  const db = await getDb();
  let scenario = input.scenario;
  if (input.runId) {
    const run = await getCheckRun(db.prisma, input.runId);
    if (!run || run.modelId !== input.modelId || run.versionNumber !== input.versionNumber) return notFound('check run');
    if (scenario !== undefined && scenario !== run.scenario) {
      return apiError(400, 'invalid request', [{ path: 'scenario', message: `the run checked '${run.scenario}'` }]);
    }
    scenario = run.scenario;
  }
  const link = await createShareLink(db.prisma, {
    modelId: input.modelId,
    versionNumber: input.versionNumber,
    ...(input.runId ? { checkRunId: input.runId } : {}),
    ...(scenario ? { scenario } : {}),
    ...(input.step !== undefined ? { step: input.step } : {}),
  });
  if (!link) return notFound(input.runId ? 'check run' : 'version');
  return json({ id: link.id, url: `/share/${link.id}` }, 201, { location: `/api/share/${link.id}` });
}

/** What a read-only link shows. No model id: the link gives no handle to write with. */
export interface PublicShare {
  id: string;
  readOnly: true;
  versionNumber: number;
  document: unknown;
  scenario: string | null;
  step: number | null;
  run: { verdict: string; scenario: string; options: unknown; stats: unknown; trace: StoredTrace | null; createdAt: string } | null;
  createdAt: string;
}

export async function loadShare(id: string): Promise<PublicShare | null> {
  const db = await getDb();
  const view = await resolveShareLink(db.prisma, id);
  if (!view) return null;
  const run = view.checkRun;
  return {
    id: view.id,
    readOnly: true,
    versionNumber: view.versionNumber,
    document: view.document,
    scenario: view.scenario,
    step: view.step,
    run: run
      ? { verdict: run.verdict, scenario: run.scenario, options: run.options, stats: run.stats, trace: (run.trace as StoredTrace | null) ?? null, createdAt: run.createdAt }
      : null,
    createdAt: view.createdAt,
  };
}

/** GET /api/share/:id */
export async function getShare(id: string): Promise<Response> {
  const share = await loadShare(id);
  return share ? json({ share }) : notFound('share link');
}

/** Any other method on /api/share/:id: a read-only link never writes. */
export function refuseWrite(): Response {
  return json({ error: 'a share link is read-only', issues: [] }, 405, { allow: 'GET, HEAD' });
}
