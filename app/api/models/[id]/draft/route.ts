import { handle } from '@/lib/server/http';
import { authorize } from '@/lib/server/authorize';
import * as api from '@/lib/server/drafts-api';

type Ctx = { params: Promise<{ id: string }> };

// Drafts are for those who may save versions (editors and up); a viewer gets 403, a non-member 404.
export const GET = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:write', { kind: 'model', id });
  return access.ok ? api.getDraft(id, access) : access.response;
});

export const PUT = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:write', { kind: 'model', id });
  return access.ok ? api.putDraft(request, id, access) : access.response;
});

export const DELETE = handle(async (request: Request, { params }: Ctx) => {
  const { id } = await params;
  const access = await authorize(request, 'model:write', { kind: 'model', id });
  return access.ok ? api.deleteDraft(id, access) : access.response;
});
