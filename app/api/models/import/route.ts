import { handle } from '@/lib/server/http';
import * as api from '@/lib/server/models-api';

export const POST = handle((request: Request) => api.importModel(request));
