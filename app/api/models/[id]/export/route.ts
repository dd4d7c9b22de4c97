import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (request: Request, { params }: Ctx) => api.exportModel(request, (await params).id));
