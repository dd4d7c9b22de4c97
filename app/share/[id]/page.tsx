import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { loadShare } from '@/lib/server/runs-api';
import { SharedTrace } from '@/components/trace/SharedTrace';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Shared check · Lockstep', robots: { index: false } };

/** A read-only link: that model version, scenario, run and step. Nothing here can write. */
export default async function ShareRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShare(id);
  if (!share) notFound();
  return <SharedTrace share={share} />;
}
