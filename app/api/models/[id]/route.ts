import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/models-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_request: Request, { params }: Ctx) => api.getModel((await params).id));
export const DELETE = handle(async (_request: Request, { params }: Ctx) => api.deleteModel((await params).id));
