import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/runs-api';

export const POST = handle(async (request: Request) => api.createShare(request));
