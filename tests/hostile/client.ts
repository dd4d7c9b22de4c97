/**
 * How the hostile tests talk to a server: every request authenticated through
 * apiSession, `content-type: application/json` unless a case is about the
 * content type, and a per-request time limit so a server that stops answering
 * fails the case instead of hanging the suite.
 */
import { request as httpRequest } from 'node:http';
import { Worker } from 'node:worker_threads';
import { apiSession } from '../helpers/api-session';

export interface Reply {
  status: number;
  text: string;
  body: any;
  ms: number;
}

export interface Send {
  method?: string;
  path: string;
  /** A string or bytes; sent as is. */
  body?: string | Uint8Array;
  /** Replaces the default content type; `null` sends none. */
  contentType?: string | null;
  timeoutMs?: number;
}

export async function send(base: string, s: Send): Promise<Reply> {
  const session = await apiSession(base);
  const headers: Record<string, string> = { ...session.headers };
  if (s.contentType !== null) headers['content-type'] = s.contentType ?? 'application/json';
  const t0 = performance.now();
  try {
    const response = await fetch(base + s.path, {
      method: s.method ?? (s.body === undefined ? 'GET' : 'POST'),
      headers,
      body: s.body as BodyInit | undefined,
      signal: AbortSignal.timeout(s.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let body: any = undefined;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, text, body, ms: performance.now() - t0 };
  } catch (error) {
    // No answer at all (timeout, reset): reported as status 0, which the tests count as a failure.
    return { status: 0, text: String((error as Error).message ?? error), body: undefined, ms: performance.now() - t0 };
  }
}

/**
 * A raw HTTP request fetch() will not send: a body shorter than its
 * Content-Length (the client hangs up mid-body), or a chunked body of any size.
 */
export async function sendRaw(
  base: string,
  path: string,
  opts: { declaredLength?: number; chunks: Buffer[]; hangUp?: boolean },
): Promise<{ status: number }> {
  const session = await apiSession(base);
  const url = new URL(base + path);
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...session.headers, 'content-type': 'application/json' };
    if (opts.declaredLength !== undefined) headers['content-length'] = opts.declaredLength;
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: -1 })); // we hung up, or the server did after answering: no status
    let i = 0;
    const pump = () => {
      while (i < opts.chunks.length) {
        if (!req.write(opts.chunks[i++])) return void req.once('drain', pump);
      }
      if (opts.hangUp) setTimeout(() => req.destroy(), 50);
      else req.end();
    };
    pump();
  });
}

/**
 * Probes GET /api/health every `everyMs` until stopped; records the slowest
 * answer and any failure. The probe runs in its own thread, so the time it
 * measures is the server's, not this test's event loop being busy building
 * or parsing a large case.
 */
export function healthProbe(base: string, everyMs = 150) {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    let stopped = false, maxMs = 0, worst = { from: 0, to: 0 }, probes = 0;
    const failures = [];
    parentPort.on('message', () => (stopped = true));
    (async () => {
      while (!stopped) {
        const t0 = performance.timeOrigin + performance.now();
        try {
          const r = await fetch(workerData.base + '/api/health', { signal: AbortSignal.timeout(10000) });
          await r.arrayBuffer();
          if (r.status !== 200) failures.push('status ' + r.status);
        } catch (error) {
          failures.push(String(error && error.message));
        }
        const ms = performance.timeOrigin + performance.now() - t0;
        probes++;
        if (ms > maxMs) { maxMs = ms; worst = { from: t0, to: t0 + ms }; }
        await new Promise((r) => setTimeout(r, workerData.everyMs));
      }
      parentPort.postMessage({ maxMs, worst, probes, failures });
    })();
    `,
    { eval: true, workerData: { base, everyMs } },
  );
  const result = new Promise<{ maxMs: number; worst: { from: number; to: number }; probes: number; failures: string[] }>((resolve, reject) => {
    worker.once('message', (r) => {
      // Times in this thread's clock (performance.now()), like the callers' timings.
      const shift = performance.timeOrigin;
      resolve({ ...r, worst: { from: r.worst.from - shift, to: r.worst.to - shift } });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      return result;
    },
  };
}
