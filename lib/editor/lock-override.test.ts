import { describe, expect, it } from 'vitest';
import { lockPolicy, validateModel } from '@/lib/model';
import { applyEdit } from './actions';
import { loadExample } from './fixtures';

const lockScope = loadExample('lock-scope');

describe('scenario lock overrides', () => {
  it('every field (scope, onCrash, leaseCanExpire, fencing, backend) can be set by the editor’s edits and takes effect', () => {
    const base = 'scenarios[2].locks.share-lock';
    let doc = lockScope;
    for (const [field, value] of [['scope', 'cluster'], ['onCrash', 'never'], ['leaseCanExpire', true], ['fencing', true]] as const) {
      doc = applyEdit(doc, { type: 'set', path: `${base}.${field}`, value });
    }
    expect(validateModel(doc).ok).toBe(true);
    const lock = doc.locks[0];
    expect(lockPolicy(lock, doc.scenarios[2].locks?.['share-lock'])).toMatchObject({ backend: 'file', scope: 'cluster', onCrash: 'never', leaseCanExpire: true, fencing: true });
    // Emptying a field (the "default" choice) removes it: the backend's default applies again.
    doc = applyEdit(doc, { type: 'set', path: `${base}.scope`, value: undefined });
    expect(doc.scenarios[2].locks?.['share-lock']).toEqual({ onCrash: 'never', leaseCanExpire: true, fencing: true });
    expect(lockPolicy(lock, doc.scenarios[2].locks?.['share-lock']).scope).toBe('node');
  });
});
