import { listModels } from '@/lib/db/models';
import { getDb } from '@/lib/server/db';
import { ModelsPage } from '@/components/models/ModelsPage';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const db = await getDb();
  const models = await listModels(db.prisma);
  return <ModelsPage models={models} />;
}
