/**
 * The update step's form, rendered on the server (no DOM needed): every row
 * has a labelled control, remove buttons say what they remove, and a
 * validation problem shows under the field it is about.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ModelDocument, Step } from '@/lib/model';
import { EditorProvider } from '@/components/editor/context';
import { UpdateForm } from '@/components/editor/forms/UpdateForm';
import { applyEdit } from './actions';
import { createEditorStore } from './store';
import { loadExample } from './fixtures';

const share = loadExample();
const opIndex = share.operations.findIndex((o) => o.name === 'deleteShareNaive');
const top = `operations[${opIndex}].steps`;
const param = share.operations[opIndex].params[0].name;

function render(step: Extract<Step, { kind: 'update' }>): string {
  const doc: ModelDocument = applyEdit(share, { type: 'insert', list: top, index: 0, value: step });
  const store = createEditorStore(doc);
  return renderToStaticMarkup(createElement(EditorProvider, { store, children: createElement(UpdateForm, { opIndex, path: `${top}[0]`, step }) }));
}

const labels = (html: string) => [...html.matchAll(/<label[^>]*>([^<]*)<\/label>/g)].map((m) => m[1]);

describe('the update form', () => {
  const step: Extract<Step, { kind: 'update' }> = {
    kind: 'update',
    target: param,
    where: [{ field: 'state', op: 'in', value: '["available", "error"]' }],
    filters: [{ name: 'no_snapshots', cond: 'true' }],
    set: [{ field: 'state', value: '"deleting"' }],
  };

  it('labels the target, each set, condition and filter row, and what happens on no match', () => {
    expect(labels(render(step))).toEqual([
      'update (instance)',
      'field 1',
      '= value',
      'condition 1 field',
      'operator',
      'values (a list)',
      'filter 1 name',
      'holds when',
      'if a condition fails',
      'abort message',
    ]);
  });

  it('names what each remove button removes', () => {
    const html = render(step);
    expect(html).toContain('aria-label="Remove condition on state"');
    expect(html).toContain('aria-label="Remove filter no_snapshots"');
    // The only set entry cannot be removed (an update sets at least one field).
    expect(html).not.toContain('aria-label="Remove set state"');
  });

  it('asks for the failedAs local instead of else once there is an onFail block', () => {
    const html = render({ ...step, onFail: [{ kind: 'return' }] });
    expect(labels(html)).toContain('failed condition into local');
    expect(labels(html)).not.toContain('if a condition fails');
  });

  it('keeps else visible beside onFail while both are set, with the problem under it', () => {
    const html = render({ ...step, else: 'skip', onFail: [{ kind: 'return' }] });
    expect(labels(html)).toEqual(expect.arrayContaining(['failed condition into local', 'if a condition fails']));
    expect(html).toContain('give either &#x27;else&#x27; (abort, skip, retry) or an &#x27;onFail&#x27; block, not both');
  });

  it('shows a validation problem under its field', () => {
    const html = render({ ...step, where: [{ field: 'state', op: 'in', value: '["available", "eror"]' }] });
    expect(html).toContain('unknown state &#x27;eror&#x27;');
  });
});
