import { handle, json } from '@/lib/server/http';
import { getDb } from '@/lib/server/db';

export const dynamic = 'force-dynamic';

/** Readiness: the server is up and its database answers. */
export const GET = handle(async () => {
  const db = await getDb();
  await db.prisma.model.count();
  return json({ ok: true, provider: db.config.provider });
});
