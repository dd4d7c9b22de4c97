import { handle } from '@/lib/server/http';
import { runSetup } from '@/lib/auth/setup';

export const dynamic = 'force-dynamic';

/** First run only: creates the first administrator. Closed (404) once an account exists. */
export const POST = handle((request: Request) => runSetup(request));
