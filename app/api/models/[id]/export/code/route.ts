import { handle } from '@/lib/server/http';
import { getDb } from '@/lib/server/db';
import { codeZip, versionFromQuery } from '@/lib/server/code-export';

type Ctx = { params: Promise<{ id: string }> };

/** GET /api/models/:id/export/code[?version=N]: the generated TypeScript as a zip. */
export const GET = handle(async (request: Request, { params }: Ctx) =>
  codeZip((await getDb()).prisma, request, (await params).id, versionFromQuery(request)),
);
