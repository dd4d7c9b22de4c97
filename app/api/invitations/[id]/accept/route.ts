import { handle } from '@/lib/server/http';
import { acceptInvitation } from '@/lib/auth/invitations';

type Ctx = { params: Promise<{ id: string }> };

/** The invitation link is the capability: anyone holding it may accept as (or create) its invited account. */
export const POST = handle(async (request: Request, { params }: Ctx) => acceptInvitation(request, (await params).id));
