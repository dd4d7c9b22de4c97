import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import { getDb } from '@/lib/server/db';
import { codeFile } from '@/lib/server/code-export';

type Ctx = { params: Promise<{ id: string; number: string; file: string }> };

/** GET /api/models/:id/versions/:number/export/code/lockstep-runtime/:file: one runtime file of that version's export. */
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id, number, file } = await params;
  const access = await authorize(request, 'model:read', { kind: 'model', id });
  return access.ok ? codeFile((await getDb()).prisma, request, id, { kind: 'number', raw: number }, `lockstep-runtime/${file}`) : access.response;
});
