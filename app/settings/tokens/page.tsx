import { requireAccount } from '@/lib/server/authorize-page';
import { appOrigin } from '@/lib/server/origin';
import { TokensPage } from '@/components/tokens/TokensPage';

export const dynamic = 'force-dynamic';

export default async function ApiTokensPage() {
  await requireAccount('/settings/tokens');
  return <TokensPage origin={appOrigin()} />;
}
