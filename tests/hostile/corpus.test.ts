/**
 * The hostile corpus against both servers `npm test` starts
 * (LOCKSTEP_TEST_BASE_URLS): over 2,000 generated bad requests and the
 * attacks of issue 9, sent to create, import, save-version, runs and share.
 * What a user relies on: no answer is a 5xx or missing, every 4xx has the
 * error shape (`{ error, issues: [{ path, message }] }`) naming the path,
 * /api/health answers within 1 s throughout (probed concurrently), and every
 * version stored before reads back byte for byte the same afterwards.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { checkScenario } from '@/lib/check';
import { analyzeModel } from '@/lib/model';
import { healthProbe, send, sendRaw, type Reply } from './client';
import { attackCases, example, generatedCases, NAIVE, replayBombModel, replayBombMoves, type Case } from './corpus';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

const CONCURRENCY = 4;
const HEALTH_LIMIT_MS = 1000;
/** Cases not sent within this budget are failures (the corpus must stay cheap enough for `npm test`). */
const SEND_BUDGET_MS = 120_000;

function naiveMoves(): number[] {
  const analyzed = analyzeModel(example);
  if (!analyzed.ok) throw new Error('the example is invalid');
  return checkScenario(analyzed.value, NAIVE).trace!.steps.map((s) => s.move);
}

/** Every stored version's export, as bytes, keyed `id/number`. */
async function storedVersions(base: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const list = await send(base, { path: '/api/models' });
  if (list.status !== 200) throw new Error(`GET /api/models: ${list.status}`);
  const keys: string[] = [];
  for (const m of list.body.models) {
    const versions = await send(base, { path: `/api/models/${m.id}/versions` });
    if (versions.status === 200) for (const v of versions.body.versions) keys.push(`${m.id}/${v.number}`);
  }
  await inParallel(keys, 8, async (key) => {
    const [id, n] = key.split('/');
    const r = await send(base, { path: `/api/models/${id}/export?version=${n}` });
    if (r.status === 200) out.set(key, r.text);
  });
  return out;
}

/** Runs `fn` over `items`, `width` at a time; returns how many were left unstarted at `deadline`. */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>, deadline = Infinity): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length && performance.now() < deadline) await fn(items[next++]);
    }),
  );
  return items.length - next;
}

/** What is wrong with a reply to `c`, or null. */
function problem(c: Case, r: Reply): string | null {
  if (r.status === 0) return `no answer: ${r.text}`;
  if (r.status >= 500) return `${r.status}: ${r.text.slice(0, 300)}`;
  if (c.statuses && !c.statuses.includes(r.status)) return `status ${r.status}, expected ${c.statuses.join('/')}: ${r.text.slice(0, 300)}`;
  // A save answered 200 stored nothing: it must say so (the merge added nothing to the head).
  if (c.path.endsWith('/versions') && r.status === 200 && r.body?.unchanged !== true) return `a save answered 200 without unchanged: ${r.text.slice(0, 200)}`;
  if (r.status >= 400) {
    const b = r.body;
    if (!b || typeof b !== 'object' || typeof b.error !== 'string' || !Array.isArray(b.issues)) return `a ${r.status} without the error shape: ${r.text.slice(0, 200)}`;
    if (!b.issues.every((i: any) => typeof i?.path === 'string' && typeof i?.message === 'string' && i.message.length > 0)) return `issues without path and message: ${r.text.slice(0, 200)}`;
    if (/maximum call stack|cannot read propert|undefined is not|is not a function/i.test(r.text)) return `an internal error leaks into the answer: ${r.text.slice(0, 200)}`;
    if (r.status === 400 && b.issues.length === 0) return `a 400 naming no path: ${r.text.slice(0, 200)}`;
    if (c.issuePath !== undefined && r.status === 400) {
      const p = c.issuePath;
      if (!b.issues.some((i: any) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`))) return `no issue at ${JSON.stringify(p)}: ${r.text.slice(0, 300)}`;
    }
  }
  return c.verify ? c.verify(r) : null;
}

describe.skipIf(bases.length === 0).each(bases)('hostile corpus at %s', (base) => {
  it('answers every bad request with a 4xx naming the path, stays responsive and keeps what is stored', async () => {
    const started = performance.now();
    const create = async (document: unknown) => {
      const r = await send(base, { path: '/api/models/import', body: JSON.stringify(document) });
      return r.status === 201 ? (r.body.model.id as string) : null;
    };
    const modelId = (await create({ ...example, name: 'corpus target' }))!;
    const scratchId = (await create({ ...example, name: 'corpus scratch' }))!;
    expect(modelId && scratchId).toBeTruthy();
    // The replay bomb of issue 9: the model must be storable for the run to reach the replay.
    const [processes, steps] = [1000, 60];
    const bombModelId = await create(replayBombModel(processes, steps));
    const bombMoves = replayBombMoves(processes, steps);

    const before = await storedVersions(base);
    const probe = healthProbe(base, 150);

    const cases = [...attackCases({ modelId, scratchId, bombModelId, bombMoves }), ...generatedCases({ modelId, scratchId }, naiveMoves(), 2000)];
    const failures: string[] = [];
    const created: string[] = [];
    const statuses = new Map<number, number>();
    const timings: Array<{ name: string; ms: number; status: number; at: number }> = [];
    const byEndpoint = new Map<string, number>();
    const sendCase = async (c: Case) => {
      const at = performance.now();
      const r = await send(base, c);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      timings.push({ name: c.name, ms: Math.round(r.ms), status: r.status, at });
      const endpoint = c.name.split(':')[0];
      byEndpoint.set(endpoint, Math.round((byEndpoint.get(endpoint) ?? 0) + r.ms));
      const p = problem(c, r);
      if (p) failures.push(`${c.name}: ${p}`);
      if (r.status === 201 && r.body?.model?.id) created.push(r.body.model.id);
      if (c.name.startsWith('mermaid') && r.status === 201) {
        const diagram = await send(base, { path: `/api/models/${r.body.model.id}/export/code/diagram.md` });
        if (diagram.status !== 200) failures.push(`${c.name}: diagram.md answered ${diagram.status}`);
        else if (/<img\b[^>]*onerror/i.test(await marked.parse(diagram.text))) failures.push(`${c.name}: diagram.md rendered as Markdown holds <img onerror>`);
      }
      if (c.name.startsWith('locks: a lock named __proto__') && r.status === 201) {
        const locks = await send(base, { path: `/api/models/${r.body.model.id}/export/code/locks.ts` });
        if (locks.status !== 200) failures.push(`${c.name}: locks.ts answered ${locks.status}`);
        else {
          // A plain (or quoted) `__proto__:` key in an object literal sets the prototype; `["__proto__"]:` does not. Comments are skipped.
          const code = locks.text.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
          if (code.some((line) => /(^|[{,])\s*["']?__proto__["']?\s*:/.test(line))) failures.push(`${c.name}: locks.ts writes __proto__ as a plain object key`);
        }
      }
    };
    // Heavy requests (over 64 KB) go one at a time: each alone must leave /api/health under 1 s. The rest go CONCURRENCY at a time.
    const heavy = (c: Case) => (c.body?.length ?? 0) > 64 * 1024;
    const deadline = performance.now() + SEND_BUDGET_MS;
    const unsent = (await inParallel(cases.filter(heavy), 1, sendCase, deadline)) + (await inParallel(cases.filter((c) => !heavy(c)), CONCURRENCY, sendCase, deadline));
    if (unsent > 0) failures.push(`${unsent} of ${cases.length} cases were not sent within ${SEND_BUDGET_MS / 1000} s`);
    // Bodies fetch() will not send: chunked past the limit, a lying Content-Length, a client hanging up mid-body.
    const big = Buffer.alloc(64 * 1024, 0x20);
    const raw = [
      { name: 'chunked 3 MB body', r: await sendRaw(base, '/api/models/import', { chunks: Array(48).fill(big) }), ok: [413] },
      { name: 'Content-Length 10 MB', r: await sendRaw(base, '/api/models/import', { declaredLength: 10_000_000, chunks: [Buffer.from('{"name":')], hangUp: true }), ok: [413, -1] },
      { name: 'hang up mid-body', r: await sendRaw(base, '/api/models/import', { declaredLength: 100_000, chunks: [Buffer.from('{"name":"x","resources":[')], hangUp: true }), ok: [400, -1] },
    ];
    for (const { name, r, ok } of raw) if (!ok.includes(r.status)) failures.push(`${name}: status ${r.status}`);

    const health = await probe.stop();
    // What was in flight while the slowest health probe waited.
    const during = timings.filter((t) => t.at < health.worst.to && t.at + t.ms > health.worst.from).map((t) => `${t.name} (${t.ms} ms)`);
    const after = await storedVersions(base);
    const changed = [...before].filter(([key, text]) => after.has(key) && after.get(key) !== text).map(([key]) => key);
    // A version may only be gone with its whole model (another test deleted it), never on its own.
    const lost: string[] = [];
    for (const key of before.keys()) {
      if (after.has(key)) continue;
      const model = await send(base, { path: `/api/models/${key.split('/')[0]}` });
      if (model.status !== 404) lost.push(key);
    }
    await inParallel([...created, modelId, scratchId, ...(bombModelId ? [bombModelId] : [])], 4, async (id) => void (await send(base, { method: 'DELETE', path: `/api/models/${id}` })));

    const summary = {
      base,
      cases: cases.length + raw.length,
      unsent,
      statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
      healthProbes: health.probes,
      healthMaxMs: Math.round(health.maxMs),
      slowest: [...timings].sort((a, b) => b.ms - a.ms).slice(0, 6).map(({ name, ms, status }) => ({ name, ms, status })),
      msByEndpoint: Object.fromEntries([...byEndpoint].sort((a, b) => b[1] - a[1]).slice(0, 8)),
      versionsCompared: before.size,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      bombModelStored: bombModelId !== null,
    };
    console.log(`hostile corpus: ${JSON.stringify(summary)}`);
    if (health.failures.length) failures.push(`/api/health failed ${health.failures.length} times: ${health.failures.slice(0, 3).join('; ')}`);
    if (health.maxMs >= HEALTH_LIMIT_MS) failures.push(`/api/health took up to ${Math.round(health.maxMs)} ms, while these were in flight: ${during.join('; ')}`);
    for (const key of changed) failures.push(`stored version ${key} reads back differently`);
    for (const key of lost) failures.push(`stored version ${key} vanished`);
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    expect(failures, failures.slice(0, 40).join('\n')).toEqual([]);
  }, 240_000);
});
