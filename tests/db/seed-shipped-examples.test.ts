/**
 * `npm start` seeds the shipped examples (examples/*.json) into an empty
 * database: every one of them must arrive, whole and valid, in the gallery.
 * A new example that does not validate is silently skipped by the seeder: it fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedExamples } from '@/lib/db';
import { analyzeModel } from '@/lib/model';
import { freshDb, providers } from '../helpers/db';

const dir = path.join(process.cwd(), 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe.each(providers)('the shipped examples seeded on %s', (provider) => {
  it('every example file becomes a gallery model whose stored document is the file, and checks as a valid model', async () => {
    const db = await freshDb(provider);
    try {
      const result = await seedExamples(db.prisma);
      expect(result.skipped).toEqual([]);
      expect(result.seeded).toEqual(files);
      expect(files).toContain('nova-vmware-image-cache.json');

      const models = await db.prisma.model.findMany({ include: { versions: true } });
      expect(models).toHaveLength(files.length);
      for (const file of files) {
        const source = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
        const model = models.find((m) => m.name === source.name);
        expect(model, file).toBeDefined();
        expect(model!.workspaceId).toBeNull();
        expect(model!.versions).toHaveLength(1);
        expect(model!.versions[0]!.document).toEqual(source);
        const analyzed = analyzeModel(model!.versions[0]!.document);
        expect(analyzed.ok ? [] : analyzed.issues, file).toEqual([]);
      }
    } finally {
      await db.cleanup();
    }
  });
});
