import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_request: Request, { params }: Ctx) => api.listVersions((await params).id));
export const POST = handle(async (request: Request, { params }: Ctx) => api.saveVersion(request, (await params).id));
