import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/runs-api';

type Ctx = { params: Promise<{ id: string }> };

// A page of a shared trace with full states (derived on read, in a bounded worker).
export const GET = handle(async (request: Request, { params }: Ctx) => api.getShareSteps(request, (await params).id));
