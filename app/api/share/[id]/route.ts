import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/runs-api';

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_request: Request, { params }: Ctx) => api.getShare((await params).id));

// A read-only link never writes: every other method is refused.
const refuse = handle(async () => api.refuseWrite());
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
