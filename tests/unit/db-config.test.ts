import { describe, expect, it } from 'vitest';
import { describeDb, resolveDbConfig } from '@/lib/db/config';
import { schemaFor } from '../../scripts/lib/schema.mjs';
import { readFileSync } from 'node:fs';

describe('DATABASE_URL', () => {
  it('defaults to data/lockstep.db under the project', () => {
    expect(resolveDbConfig(undefined, '/srv/app')).toEqual({ provider: 'sqlite', url: 'file:/srv/app/data/lockstep.db', file: '/srv/app/data/lockstep.db' });
    expect(resolveDbConfig('  ', '/srv/app').provider).toBe('sqlite');
  });

  it('takes file: paths, relative or absolute', () => {
    expect(resolveDbConfig('file:./x/y.db', '/srv/app')).toMatchObject({ provider: 'sqlite', file: '/srv/app/x/y.db' });
    expect(resolveDbConfig('file:/var/lib/lockstep.db', '/srv/app')).toMatchObject({ file: '/var/lib/lockstep.db' });
    expect(resolveDbConfig('file:///var/lib/lockstep.db', '/srv/app')).toMatchObject({ file: '/var/lib/lockstep.db' });
  });

  it('takes postgres:// and postgresql:// URLs', () => {
    expect(resolveDbConfig('postgresql://u:p@h:5432/d')).toEqual({ provider: 'postgresql', url: 'postgresql://u:p@h:5432/d' });
    expect(resolveDbConfig('postgres://h/d').provider).toBe('postgresql');
  });

  it('refuses anything else instead of silently using another database', () => {
    expect(() => resolveDbConfig('mysql://h/d')).toThrow(/must start with/);
    expect(() => resolveDbConfig('lockstep.db')).toThrow(/must start with/);
    expect(() => resolveDbConfig('file::memory:')).toThrow(/in-memory/);
  });

  it('never prints a password', () => {
    expect(describeDb(resolveDbConfig('postgresql://lock:s3cret@db:5432/lockstep'))).not.toContain('s3cret');
  });
});

describe('the PostgreSQL schema derived from prisma/schema.prisma', () => {
  it('differs from the SQLite one only in the provider and the client output folder', () => {
    const sqlite = readFileSync('prisma/schema.prisma', 'utf8');
    const pg: string = schemaFor('postgresql', sqlite);
    const changed = pg.split('\n').filter((line, i) => line !== sqlite.split('\n')[i]);
    expect(changed.map((l) => l.trim())).toEqual(['output       = "../lib/db/generated/postgresql"', 'provider = "postgresql"']);
  });
});
