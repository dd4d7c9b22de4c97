/**
 * Check runs and read-only share links over HTTP, as plain functions from
 * parsed input to Response (the routes under app/api only pass params and the
 * author).
 *
 * The browser runs the checker and posts the verdict, statistics and, for a
 * violation, the trace as move codes. What a posted run may cost is bounded
 * by what a check of that model could produce: at most `traceLimit(options)`
 * moves (its maxDepth, and never more than MAX_TRACE_MOVES), replayed on
 * packed states in a worker thread with a heap and time limit (lib/jobs/pool).
 * A trace that does not replay to the claimed violation is refused (422); one
 * that is too long or too costly to replay is refused with 413.
 *
 * A stored run keeps its moves only, and starts **reported**: a background
 * job re-checks it (lib/jobs) and it becomes verified, refuted or too large
 * to verify. States are derived on read, a page at a time
 * (GET /api/share/:id/steps).
 *
 * A share link resolves to a view that carries no model id: nothing reached
 * through it can address the model for a write, and /api/share/:id answers
 * only GET.
 */
import { z } from 'zod';
import { violationKindSchema } from '@/lib/model';
import { MAX_VERSION_NUMBER } from '@/lib/model/version-number';
import { INCOMPLETE_REASONS, meetsExpectation, type CheckLimits, type Violation } from '@/lib/check';
import { MAX_TRACE_MOVES, scenarioSize, traceLimit, traceTooLong } from '@/lib/check/verify';
import type { TraceWindow } from '@/lib/check/replay';
import { getVersion } from '@/lib/db/models';
import { createShareLink, getCheckRun, listCheckRuns, recordCheckRun, resolveShareLink, type CheckRunRecord, type StoredTrace } from '@/lib/db/runs';
import { BudgetExceeded, runInPool } from '@/lib/jobs/pool';
import { requestTimeoutMs } from '@/lib/jobs/budget';
import { nudgeJobRunner } from '@/lib/jobs/start';
import { authorize, authorOf } from './authorize';
import { getDb } from './db';
import { apiError, json, notFound, readJsonBody, zodIssues, type ApiIssue } from './http';
import { publicVerification } from './verify-status';
import { sharedThread, threadToShare } from './reviews-api';
import type { PublicShare } from '@/lib/transport/runs';
import { versionParam, VERSION_SEGMENT } from './version-param';

export type { PublicShare } from '@/lib/transport/runs';

const count = z.number().finite().min(0);
const limit = z.number().int().min(1).max(2 ** 31 - 1);

/** The checker's Violation (lib/check/result.ts) as posted; `Same` below keeps the two from drifting apart. */
const violationSchema = z
  .object({ kind: violationKindSchema, message: z.string().max(10_000), name: z.string().max(200).optional(), process: z.string().max(200).optional(), cycleStart: z.number().int().min(0).optional() })
  .strict();
/** The checker's CheckLimits as posted. */
const limitsSchema = z.object({ maxStates: limit.optional(), maxDepth: limit.optional(), timeLimitMs: limit.optional() });
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchTypes: [Same<z.output<typeof violationSchema>, Violation>, Same<z.output<typeof limitsSchema>, CheckLimits>] = [true, true];
void schemasMatchTypes;

export const runSchema = z
  .object({
    scenario: z.string().min(1).max(200),
    mode: z.enum(['exhaustive', 'random']),
    options: z
      .object({
        symmetry: z.boolean(),
        mergeLocalSteps: z.boolean(),
        ...limitsSchema.shape,
        runs: limit.optional(),
        seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
      })
      .strict(),
    verdict: z.enum(['pass', 'violation', 'incomplete']),
    incompleteReason: z.enum(INCOMPLETE_REASONS).optional(),
    violation: violationSchema.nullable(),
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
        threads: z.number().int().min(1).max(256).optional(),
      })
      .strict(),
    /** The trace as move codes (TraceStep.move). Its length is bounded below (413), not here, so the refusal can say why. */
    moves: z.array(z.number().int().min(0).max(2 ** 31 - 1)).default([]),
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
    versionNumber: z.number().int().min(1).max(MAX_VERSION_NUMBER),
    runId: z.string().min(1).max(100).optional(),
    scenario: z.string().min(1).max(200).optional(),
    step: z.number().int().min(0).max(100_000).optional(),
    /** A review thread of this model to show read-only (lib/server/reviews-api.ts). */
    threadId: z.string().min(1).max(100).optional(),
  })
  .strict();


/** Maps a worker's budget overrun to the response a client reads. */
function budgetResponse(error: BudgetExceeded, what: string): Response {
  if (error.resource === 'busy') return apiError(503, error.message, [], { retryAfter: 5 });
  return apiError(413, `${what} costs more than this server allows: ${error.message}`, [{ path: 'moves', message: error.message }]);
}

/** POST /api/models/:id/versions/:n/runs — stores a run the browser computed, as reported, and queues its verification. */
export async function recordRun(request: Request, modelId: string, rawNumber: string, author = 'anonymous'): Promise<Response> {
  const param = versionParam(rawNumber, VERSION_SEGMENT);
  if (!param.ok) return param.response;
  const number = param.number;
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = runSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const run = parsed.data;

  // A trace longer than this check could produce is refused before any work.
  if (run.moves.length > MAX_TRACE_MOVES) {
    const message = traceTooLong(run.moves.length, run.options, 1)!;
    return apiError(413, message, [{ path: 'moves', message: `at most ${traceLimit(run.options)} moves` }]);
  }

  const db = await getDb();
  const version = await getVersion(db.prisma, modelId, number);
  if (!version) return notFound('version');
  // The document is analysed in the worker (bounded); the scenario is found here, cheaply.
  const size = scenarioSize(version.document, run.scenario);
  if (size === null) return apiError(400, 'invalid request', [{ path: 'scenario', message: `version ${number} has no scenario '${run.scenario}'` }]);
  const tooLong = traceTooLong(run.moves.length, run.options, size);
  if (tooLong) return apiError(413, tooLong, [{ path: 'moves', message: `at most ${traceLimit(run.options, size)} moves` }]);

  let trace: StoredTrace | undefined;
  if (run.verdict === 'violation') {
    let result;
    try {
      result = await runInPool(
        'requests',
        { kind: 'check-trace', document: version.document, scenario: run.scenario, options: run.options, moves: run.moves, violation: run.violation },
        requestTimeoutMs(),
      );
    } catch (error) {
      if (error instanceof BudgetExceeded) return budgetResponse(error, 'replaying this trace');
      throw error;
    }
    if (result.kind === 'invalid-model') return apiError(422, `version ${number} is not a valid model`, result.issues);
    if (result.kind !== 'check-trace') throw new Error(`unexpected task result ${result.kind}`);
    const checked = result.result;
    if (!checked.ok) {
      return checked.path === 'moves'
        ? apiError(422, 'the trace does not end in the reported violation', [{ path: 'moves', message: checked.message }])
        : apiError(422, 'the trace does not replay on this version', [{ path: checked.path, message: checked.message }]);
    }
    trace = { moves: run.moves, violation: checked.violation };
  }

  const expected = (version.document as { scenarios?: Array<{ name?: string; expect?: Parameters<typeof meetsExpectation>[0] }> }).scenarios?.find((s) => s.name === run.scenario)?.expect ?? null;
  const record = await recordCheckRun(db.prisma, {
    modelId,
    versionNumber: number,
    scenario: run.scenario,
    options: { mode: run.mode, ...run.options },
    verdict: run.verdict,
    stats: {
      ...run.stats,
      ...(run.incompleteReason ? { incompleteReason: run.incompleteReason } : {}),
      meetsExpectation: expected ? meetsExpectation(expected, run.verdict, trace?.violation ?? null) : null,
    },
    ...(trace ? { trace } : {}),
    author,
  });
  if (!record) return notFound('version');
  nudgeJobRunner();
  return json({ run: summary(record) }, 201, { location: `/api/models/${encodeURIComponent(modelId)}/versions/${number}/runs/${record.id}` });
}

/** A run as the API shows it: what was reported, and what the server made of it. */
export function summary(r: CheckRunRecord) {
  return {
    id: r.id,
    versionNumber: r.versionNumber,
    scenario: r.scenario,
    verdict: r.verdict,
    author: r.author,
    createdAt: r.createdAt,
    steps: r.trace?.moves.length ?? 0,
    verification: publicVerification(r),
  };
}

/** Runs listed per request at most (newest first). */
export const RUN_LIST_LIMIT = 100;

/**
 * GET /api/models/:id/versions/:n/runs?scenario= — the version's stored runs,
 * newest first (at most RUN_LIST_LIMIT): who, when, verdict, verification and
 * options, and the trace's moves so a page can reopen it.
 */
export async function listRuns(request: Request, modelId: string, rawNumber: string): Promise<Response> {
  const param = versionParam(rawNumber, VERSION_SEGMENT);
  if (!param.ok) return param.response;
  const scenario = new URL(request.url).searchParams.get('scenario');
  if (scenario !== null && (scenario.length === 0 || scenario.length > 200)) {
    return apiError(400, 'invalid request', [{ path: '?scenario', message: 'expected a scenario name of 1 to 200 characters' }]);
  }
  const db = await getDb();
  const runs = await listCheckRuns(db.prisma, modelId, param.number, { ...(scenario !== null ? { scenario } : {}), take: RUN_LIST_LIMIT });
  if (!runs) return notFound('version');
  return json({ runs: runs.map((r) => ({ ...summary(r), options: r.options, stats: r.stats, trace: r.trace })) });
}

/** GET /api/models/:id/versions/:n/runs/:runId — a stored run and its verification status. */
export async function getRun(modelId: string, rawNumber: string, runId: string): Promise<Response> {
  const param = versionParam(rawNumber, VERSION_SEGMENT);
  if (!param.ok) return param.response;
  const number = param.number;
  const db = await getDb();
  const run = await getCheckRun(db.prisma, runId);
  if (!run || run.modelId !== modelId || run.versionNumber !== number) return notFound('check run');
  return json({ run: { ...summary(run), options: run.options, stats: run.stats, trace: run.trace } });
}

/** POST /api/share — `{ modelId, versionNumber, runId?, scenario?, step? }` → 201 `{ id, url }`. */
export async function createShare(request: Request): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = shareSchema.safeParse(body.value);
  if (!parsed.success) return apiError(400, 'invalid request', zodIssues(parsed.error));
  const input = parsed.data;
  // The model is named in the body: whoever may read it may share it.
  const access = await authorize(request, 'model:read', { kind: 'model', id: input.modelId });
  if (!access.ok) return access.response;
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
  if (input.threadId && !(await threadToShare(input.modelId, input.threadId))) return notFound('thread');
  const link = await createShareLink(db.prisma, {
    author: authorOf(access).author,
    modelId: input.modelId,
    versionNumber: input.versionNumber,
    ...(input.runId ? { checkRunId: input.runId } : {}),
    ...(scenario ? { scenario } : {}),
    ...(input.step !== undefined ? { step: input.step } : {}),
    ...(input.threadId ? { threadId: input.threadId } : {}),
  });
  if (!link) return notFound(input.runId ? 'check run' : 'version');
  return json({ id: link.id, url: `/share/${link.id}` }, 201, { location: `/api/share/${link.id}` });
}

/** What a read-only link shows. No model id: the link gives no handle to write with. */
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
      ? {
          verdict: run.verdict,
          scenario: run.scenario,
          options: run.options,
          stats: run.stats,
          trace: run.trace ? { ...run.trace, length: run.trace.moves.length } : null,
          verification: publicVerification(run),
          createdAt: run.createdAt,
        }
      : null,
    thread: view.threadId ? await sharedThread(view.threadId) : null,
    createdAt: view.createdAt,
  };
}

/** GET /api/share/:id */
export async function getShare(id: string): Promise<Response> {
  const share = await loadShare(id);
  return share ? json({ share }) : notFound('share link');
}

/** Steps per page of a shared trace: views are built for these only. */
export const SHARE_PAGE_STEPS = 50;
/** Processes and instances shown per page at most (each step's view and swimlane row has one entry per process and instance). */
const SHARE_PAGE_UNITS = 25_000;

/** How many steps a page of this share shows: fewer for a scenario with many processes and instances. */
export function sharePageSteps(share: PublicShare): number {
  const size = share.run ? (scenarioSize(share.document, share.run.scenario) ?? 1) : 1;
  return Math.max(1, Math.min(SHARE_PAGE_STEPS, Math.floor(SHARE_PAGE_UNITS / Math.max(1, size))));
}

export type WindowResult = { ok: true; window: TraceWindow; trace: 'reported' | 'server' } | { ok: false; status: number; message: string };

/**
 * A page of a shared run's trace with full states, replayed in a worker:
 * `trace` is the reported one or, for a refuted run, the server's own.
 */
export async function loadShareWindow(share: PublicShare, which: 'reported' | 'server', from: number, count = SHARE_PAGE_STEPS): Promise<WindowResult> {
  const run = share.run;
  const moves = which === 'server' ? run?.verification.server?.moves ?? null : run?.trace?.moves ?? null;
  if (!run || !moves) return { ok: false, status: 404, message: which === 'server' ? 'the server found no trace for this run' : 'this link has no trace' };
  const options = run.options as { symmetry?: boolean; mergeLocalSteps?: boolean };
  try {
    const result = await runInPool(
      'requests',
      {
        kind: 'trace-window',
        document: share.document,
        scenario: run.scenario,
        options: { symmetry: options.symmetry, mergeLocalSteps: options.mergeLocalSteps },
        moves,
        from,
        count: Math.max(0, Math.min(count, sharePageSteps(share))),
      },
      requestTimeoutMs(),
    );
    if (result.kind === 'trace-window') return { ok: true, window: result.window, trace: which };
    if (result.kind === 'invalid-model') return { ok: false, status: 422, message: 'this version is not a valid model' };
    throw new Error(`unexpected task result ${result.kind}`);
  } catch (error) {
    if (error instanceof BudgetExceeded) return { ok: false, status: error.resource === 'busy' ? 503 : 413, message: `these steps cost more than this server allows: ${error.message}` };
    throw error;
  }
}

/** GET /api/share/:id/steps?from=&count=&trace=reported|server — a page of the trace with full states. */
export async function getShareSteps(request: Request, id: string): Promise<Response> {
  const url = new URL(request.url);
  const issues: ApiIssue[] = [];
  const int = (name: string, fallback: number, max: number) => {
    const raw = url.searchParams.get(name);
    if (raw === null) return fallback;
    if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) > max) {
      issues.push({ path: `?${name}`, message: `expected a whole number from 0 to ${max}` });
      return fallback;
    }
    return Number(raw);
  };
  const from = int('from', 0, MAX_TRACE_MOVES);
  const count = int('count', SHARE_PAGE_STEPS, SHARE_PAGE_STEPS);
  const which = url.searchParams.get('trace') ?? 'reported';
  if (which !== 'reported' && which !== 'server') issues.push({ path: '?trace', message: "expected 'reported' or 'server'" });
  if (issues.length > 0) return apiError(400, 'invalid request', issues);
  const share = await loadShare(id);
  if (!share) return notFound('share link');
  const page = await loadShareWindow(share, which as 'reported' | 'server', from, count);
  if (!page.ok) return apiError(page.status, page.message);
  return json({ trace: page.trace, ...page.window });
}

/** Any other method on /api/share/:id: a read-only link never writes. */
export function refuseWrite(): Response {
  return json({ error: 'a share link is read-only', issues: [] }, 405, { allow: 'GET, HEAD' });
}
