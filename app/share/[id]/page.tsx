import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { loadShare, loadShareWindow, sharePageSteps, type PublicShare } from '@/lib/server/runs-api';
import { SharedTrace, type SharedWindow } from '@/components/trace/SharedTrace';
import { SharedThread } from '@/components/review/SharedThread';
import type { ModelDocument } from '@/lib/model';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Shared check · Lockstep', robots: { index: false } };

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * A read-only link: that model version, scenario, run and step, and whether
 * the server verified it. The trace's states are derived here, a page at a
 * time (?from=), in a bounded worker; a refuted run shows the server's own
 * trace unless ?trace=reported. A link to a review thread shows the thread
 * in its anchor's context. Nothing here can write.
 */
export default async function ShareRoute({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Search }) {
  const { id } = await params;
  const query = await searchParams;
  const share = await loadShare(id);
  if (!share) notFound();
  const pageSize = sharePageSteps(share);
  const page = await tracePage(share, query, pageSize);
  const trace = <SharedTrace share={withoutMoves(share)} page={page} pageSize={pageSize} />;
  // A review thread: the thread in its anchor's context (a trace step: the trace at that step).
  if (share.thread) return <SharedThread thread={share.thread} document={share.document as ModelDocument} trace={share.run ? trace : undefined} />;
  return trace;
}

async function tracePage(share: PublicShare, query: Record<string, string | string[] | undefined>, pageSize: number): Promise<SharedWindow | null> {
  const run = share.run;
  if (!run) return null;
  const server = run.verification.status === 'refuted' && (run.verification.server?.length ?? 0) > 0;
  const which = query.trace === 'reported' && run.trace ? 'reported' : server ? 'server' : run.trace ? 'reported' : null;
  if (!which) return null;
  const total = which === 'server' ? run.verification.server!.length : run.trace!.length;
  const raw = typeof query.from === 'string' && /^[0-9]{1,9}$/.test(query.from) ? Number(query.from) : null;
  // The page holding the shared step, else the last page (where the trace breaks).
  const shared = which === 'reported' && share.step !== null ? share.step : null;
  const start = raw ?? (shared !== null ? Math.floor(Math.max(0, shared - 1) / pageSize) * pageSize : total - pageSize);
  const from = Math.max(0, Math.min(start, total - 1));
  const result = await loadShareWindow(share, which, from, pageSize);
  return result.ok ? { trace: which, window: result.window } : { trace: which, error: result.message };
}

/** The page gets the states it shows, not every move of the trace. */
function withoutMoves(share: PublicShare): PublicShare {
  if (!share.run) return share;
  const run = share.run;
  return {
    ...share,
    run: {
      ...run,
      trace: run.trace ? { ...run.trace, moves: [] } : null,
      verification: { ...run.verification, server: run.verification.server ? { ...run.verification.server, moves: [] } : null },
    },
  };
}
