import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import { getDb } from '@/lib/server/db';
import { codeZip, versionFromQuery } from '@/lib/server/code-export';

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/models/:id/export/code[?version=N]: the generated TypeScript as a zip. */
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? codeZip((await getDb()).prisma, request, id, versionFromQuery(request)) : access.response;
});
