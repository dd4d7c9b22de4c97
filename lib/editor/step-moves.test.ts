import { describe, expect, it } from 'vitest';
import { applyEdit } from './actions';
import { getIn } from './path';
import { indent, moveDown, moveUp, outdent } from './step-moves';
import { loadExample } from './fixtures';

const share = loadExample();
const kinds = (doc: typeof share, list: string) => (getIn(doc, list) as Array<{ kind: string }>).map((s) => s.kind);

describe('keyboard step moves', () => {
  it('moves up and down within a list, not past its ends', () => {
    expect(moveUp('operations[0].steps', 0)).toBeNull();
    expect(moveDown(share, 'operations[0].steps', 6)).toBeNull();
    const down = moveDown(share, 'operations[0].steps', 0)!;
    expect(kinds(applyEdit(share, down.action), 'operations[0].steps').slice(0, 2)).toEqual(['require', 'read']);
    expect(down.to).toBe('operations[0].steps[1]');
    const up = moveUp('operations[0].steps', 1)!;
    expect(kinds(applyEdit(share, up.action), 'operations[0].steps').slice(0, 2)).toEqual(['require', 'read']);
  });
  it('indents into the block of the step above and outdents back after it', () => {
    // deleteShare: [atomic, call(onFail), write] — indent the call into the atomic block.
    const inMove = indent(share, 'operations[2].steps', 1)!;
    expect(inMove.to).toBe('operations[2].steps[0].steps[3]');
    const indented = applyEdit(share, inMove.action);
    expect(kinds(indented, 'operations[2].steps')).toEqual(['atomic', 'write']);
    expect(kinds(indented, 'operations[2].steps[0].steps')).toEqual(['require', 'require', 'write', 'call']);
    const outMove = outdent('operations[2].steps[0].steps', 3)!;
    expect(outMove.to).toBe('operations[2].steps[1]');
    expect(applyEdit(indented, outMove.action)).toEqual(share);
  });
  it('does not indent under a step without blocks, nor outdent a top-level step', () => {
    expect(indent(share, 'operations[0].steps', 1)).toBeNull(); // read has no block
    expect(outdent('operations[0].steps', 1)).toBeNull();
  });
});
