/**
 * One rule for text on both databases, through the real API of both servers
 * `npm test` starts (LOCKSTEP_TEST_BASE_URLS: one on SQLite, one on
 * PostgreSQL). Any text one server stores, the other stores too, and a model
 * exported from one and imported into the other exports byte for byte the
 * same; text neither can store (U+0000, unpaired surrogates) is refused by
 * both with the same 400 naming its path.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { unstorableText } from '@/lib/server/text-rule';
import { apiSession } from '../helpers/api-session';

const bases = (process.env.LOCKSTEP_TEST_BASE_URLS ?? '').split(',').filter(Boolean);
if (bases.length === 0 && process.env.LOCKSTEP_REQUIRE_SERVER === '1') throw new Error('LOCKSTEP_TEST_BASE_URLS is not set');

interface Reply {
  status: number;
  text: string;
  body: any;
}

async function call(base: string, path: string, init: { method?: string; body?: string } = {}): Promise<Reply> {
  const session = await apiSession(base);
  const response = await fetch(base + path, { method: init.method ?? 'GET', body: init.body, headers: { ...session.headers, 'content-type': 'application/json' } });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, text, body };
}
const postText = (base: string, path: string, raw: string) => call(base, path, { method: 'POST', body: raw });
const post = (base: string, path: string, value: unknown) => postText(base, path, JSON.stringify(value));

/** Text a user could type or paste: any code point, plus the sequences that break naive handling. */
const tricky = fc.constantFrom(
  '\u2028', '\u2029', '👩‍👩‍👧‍👦', '🏳️‍🌈', '🧑🏽‍💻', 'e\u0301\u0302', 'שלום עולם', 'مرحبا بالعالم', '\u202eevil\u202c', '\ufeff', '𝕏𝔂',
  '\u0001\u001f\u007f', '"\\/', '</script><!--', '\uffff\ufffe', '\ud83d\ude00', '\u200b\u200d', 'ǅ', 'ß', 'İ', '\r\n\t',
);
const storable = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), tricky), { maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((s) => unstorableText(s) === null);
/** A model name: at most 200 UTF-16 units, never blank. */
const nameText = storable.map((s) => `m ${s}`.slice(0, 200)).filter((s) => unstorableText(s) === null);
const coordinate = fc.double({ noNaN: true, noDefaultInfinity: true });

function documentWith(t: { name: string; description: string; stateText: string; edge: string; key: string; x: number; y: number }) {
  return {
    name: t.name,
    description: t.description,
    resources: [
      {
        name: 'Share',
        description: t.stateText,
        states: [
          { name: 'available', kind: 'stable', description: t.stateText },
          { name: 'deleted', kind: 'terminal', description: t.description },
        ],
        initial: 'available',
        transitions: [{ from: 'available', to: 'deleted', name: t.edge }],
      },
    ],
    layout: { resources: { Share: { available: { x: t.x, y: t.y } } }, [`note ${t.key}`]: t.description },
  };
}

describe.skipIf(bases.length < 2)('text on SQLite and PostgreSQL', () => {
  let sqlite = '';
  let postgres = '';

  beforeAll(async () => {
    for (const base of bases) {
      const health = await call(base, '/api/health');
      if (health.body.provider === 'sqlite') sqlite = base;
      if (health.body.provider === 'postgresql') postgres = base;
    }
    expect(sqlite, 'a server on SQLite').not.toBe('');
    expect(postgres, 'a server on PostgreSQL').not.toBe('');
  });

  /** Imports `raw` (a document's JSON text) and returns the new model's id and its export. */
  async function importAndExport(base: string, raw: string): Promise<{ id: string; exported: string }> {
    const created = await postText(base, '/api/models/import', raw);
    expect(created.status, `import at ${base}: ${created.text.slice(0, 500)}`).toBe(201);
    const id = created.body.model.id as string;
    const exported = await call(base, `/api/models/${id}/export`);
    expect(exported.status).toBe(200);
    return { id, exported: exported.text };
  }

  /** The list, the model and its head document all give the same name. */
  async function expectNameAgrees(base: string, id: string, name: string) {
    const model = (await call(base, `/api/models/${id}`)).body.model;
    expect(model.name).toBe(name);
    expect(model.head.document.name).toBe(name);
    const listed = (await call(base, '/api/models')).body.models.find((m: any) => m.id === id);
    expect(listed?.name).toBe(name);
  }

  it('a model exported from SQLite imports into PostgreSQL and back byte for byte, whatever its text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ name: nameText, description: storable, stateText: storable, edge: storable, key: storable, x: coordinate, y: coordinate, message: storable }),
        async (t) => {
          const doc = documentWith(t);
          const fromSqlite = await importAndExport(sqlite, JSON.stringify(doc));
          expect(JSON.parse(fromSqlite.exported)).toMatchObject({ ...doc, layout: { ...doc.layout, resources: { Share: { available: { x: t.x + 0, y: t.y + 0 } } } } });

          const intoPostgres = await importAndExport(postgres, fromSqlite.exported);
          expect(intoPostgres.exported).toBe(fromSqlite.exported);
          const backIntoSqlite = await importAndExport(sqlite, intoPostgres.exported);
          expect(backIntoSqlite.exported).toBe(fromSqlite.exported);

          // A saved version's message and the list's name agree with the document on both.
          for (const [base, id] of [[sqlite, fromSqlite.id], [postgres, intoPostgres.id]] as const) {
            await expectNameAgrees(base, id, t.name);
            const saved = await post(base, `/api/models/${id}/versions`, { baseVersion: 1, document: JSON.parse(fromSqlite.exported), message: t.message || undefined });
            expect(saved.status, saved.text.slice(0, 300)).toBe(201);
            const versions = (await call(base, `/api/models/${id}/versions`)).body.versions;
            expect(versions[0].message).toBe(t.message.trim());
            expect((await call(base, `/api/models/${id}/versions/2`)).body.version.document).toEqual(JSON.parse(fromSqlite.exported));
          }
          for (const [base, id] of [[sqlite, fromSqlite.id], [postgres, intoPostgres.id], [sqlite, backIntoSqlite.id]] as const) {
            expect((await call(base, `/api/models/${id}`, { method: 'DELETE' })).status).toBe(204);
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 120_000);

  it('both refuse U+0000 and unpaired surrogates anywhere, naming the path', async () => {
    const doc = documentWith({ name: 'm', description: 'd', stateText: 's', edge: 'e', key: 'k', x: 0, y: 0 });
    const cases: Array<[string, string, string, string]> = [
      // [endpoint, raw body, expected path, expected message]
      ['/api/models/import', JSON.stringify({ ...doc, name: 'a\u0000b' }), 'name', 'contains U+0000, which cannot be stored'],
      ['/api/models/import', JSON.stringify(doc).replace('"d"', '"\\ud800"'), 'description', 'unpaired surrogate (U+D800)'],
      ['/api/models/import', JSON.stringify(doc).replace('"s"', '"x\\uDFFFy"'), 'resources[0].description', 'unpaired surrogate (U+DFFF)'],
      ['/api/models/import', JSON.stringify(doc).replace('"note k"', '"k\\u0000"'), 'layout', 'the key "k\\u0000" contains U+0000'],
      ['/api/models', JSON.stringify({ document: { ...doc, resources: [{ ...doc.resources[0], states: [doc.resources[0].states[0], { ...doc.resources[0].states[1], description: '\u0000' }] }] } }), 'document.resources[0].states[1].description', 'U+0000'],
      ['/api/models', JSON.stringify({ name: 'ok', description: 'x\u0000' }), 'description', 'U+0000'],
      ['/api/models', JSON.stringify({ document: doc, message: '\udc00' }), 'message', 'unpaired surrogate'],
      ['/api/models', JSON.stringify({ document: doc, author: '\ud83d' }), 'author', 'unpaired surrogate'],
    ];
    for (const base of [sqlite, postgres]) {
      for (const [endpoint, raw, path, message] of cases) {
        const r = await postText(base, endpoint, raw);
        expect(r.status, `${base}${endpoint} ${raw.slice(0, 80)}: ${r.text.slice(0, 300)}`).toBe(400);
        expect(r.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
      }
      // Saving a version and a query string follow the same rule.
      const created = await post(base, '/api/models/import', doc);
      expect(created.status).toBe(201);
      const id = created.body.model.id;
      const save = await post(base, `/api/models/${id}/versions`, { baseVersion: 1, document: { ...doc, name: 'b\u0000' }, message: 'fine' });
      expect(save.status).toBe(400);
      expect(save.body.issues[0]).toMatchObject({ path: 'document.name' });
      const saveMessage = await postText(base, `/api/models/${id}/versions`, `{"baseVersion":1,"document":${JSON.stringify(doc)},"message":"\\ud800"}`);
      expect(saveMessage.status).toBe(400);
      expect(saveMessage.body.issues[0]).toMatchObject({ path: 'message' });
      const query = await post(base, `/api/models/import?author=a%00b`, doc);
      expect(query.status).toBe(400);
      expect(query.body.issues[0].message).toMatch(/U\+0000/);
      // Nothing was stored by any refused request.
      expect((await call(base, `/api/models/${id}`)).body.model.headNumber).toBe(1);
      expect((await call(base, `/api/models/${id}`, { method: 'DELETE' })).status).toBe(204);
    }
  });
});
