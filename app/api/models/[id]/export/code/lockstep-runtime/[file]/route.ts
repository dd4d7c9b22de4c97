import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import { getDb } from '@/lib/server/db';
import { codeFile, versionFromQuery } from '@/lib/server/code-export';

type Ctx = { params: Promise<{ id: string; file: string }> };

/** GET /api/models/:id/export/code/lockstep-runtime/:file[?version=N]: one runtime file the model's files import. */
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, file } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? codeFile((await getDb()).prisma, request, id, versionFromQuery(request), `lockstep-runtime/${file}`) : access.response;
});
