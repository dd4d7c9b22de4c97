import { describe, expect, it } from 'vitest';
import { describePath, issuesAt, locate } from './locate';
import { loadExample } from './fixtures';

const share = loadExample();

describe('locating a document path in the editor', () => {
  it('opens the state machine and selects the state or transition', () => {
    expect(locate(share, 'resources[0].states[3].name')).toEqual({ view: { tab: 'machines', resource: 0 }, selection: { kind: 'state', resource: 0, name: 'deleting' } });
    expect(locate(share, 'resources[1].transitions[2].to')).toEqual({ view: { tab: 'machines', resource: 1 }, selection: { kind: 'transition', resource: 1, index: 2 } });
    expect(locate(share, 'resources[0].initial').selection).toEqual({ kind: 'state', resource: 0, name: 'creating' });
  });
  it('opens the operation, scenario or list the path is in', () => {
    expect(locate(share, 'operations[2].steps[1].onFail[0].value').view).toEqual({ tab: 'operations', operation: 2 });
    expect(locate(share, 'scenarios[4].processes[0].args.share').view).toEqual({ tab: 'scenarios', scenario: 4 });
    expect(locate(share, 'invariants[0].expr').view).toEqual({ tab: 'invariants' });
    expect(locate(share, '').view).toEqual({ tab: 'json' });
  });
  it('names the owner of a path', () => {
    expect(describePath(share, 'operations[2].steps[0]')).toBe('operation deleteShare');
    expect(describePath(share, 'resources[1].fields[0]')).toBe('resource Snapshot');
    expect(describePath(share, '')).toBe('document');
    expect(issuesAt([{ path: 'a' }, { path: 'a.b' }], 'a')).toEqual([{ path: 'a' }]);
  });
});
