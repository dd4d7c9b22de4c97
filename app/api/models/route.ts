import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/models-api';

export const dynamic = 'force-dynamic';

export const GET = handle(() => api.listModels());
export const POST = handle((request: Request) => api.createModel(request));
