import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import { getDb } from '@/lib/server/db';
import { codeZip } from '@/lib/server/code-export';

type Ctx = { params: Promise<{ id: string; number: string }> };

/** GET /api/models/:id/versions/:number/export/code: that version's generated TypeScript as a zip. */
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, number } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? codeZip((await getDb()).prisma, request, id, { kind: 'number', raw: number }) : access.response;
});
