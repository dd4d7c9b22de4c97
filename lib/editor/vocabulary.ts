/**
 * What an expression can name at a place in the model, offered as one-click
 * insertions beside expression fields: fields of parameters and instances,
 * locals read earlier, state names as literals, quantifier and count templates.
 */
import type { ModelDocument, Operation, Scenario } from '@/lib/model';
import { forEachStep } from '@/lib/model/walk';

function statesOf(doc: ModelDocument, resource: string): string[] {
  return doc.resources.find((r) => r.name === resource)?.states.map((s) => `"${s.name}"`) ?? [];
}

function fieldsOf(doc: ModelDocument, name: string, resource: string): string[] {
  const res = doc.resources.find((r) => r.name === resource);
  return res ? [`${name}.state`, ...(res.fields ?? []).map((f) => `${name}.${f.name}`)] : [];
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Inside an operation: its parameters' fields, every local it reads, the states they can be in. */
export function operationVocabulary(doc: ModelDocument, op: Operation): string[] {
  const locals: string[] = [];
  forEachStep(op.steps, (step) => {
    if (step.kind === 'read') locals.push(step.local);
  });
  return unique([
    ...op.params.flatMap((p) => fieldsOf(doc, p.name, p.type)),
    ...locals,
    ...op.params.flatMap((p) => statesOf(doc, p.type)),
    ...doc.resources.map((r) => `any(x: ${r.name}, x.state == ${statesOf(doc, r.name)[0] ?? '""'})`),
  ]);
}

/** In an invariant: quantifiers and counts over types, and a scenario's instances when it has them. */
export function invariantVocabulary(doc: ModelDocument, scenario?: Scenario): string[] {
  return unique([
    ...doc.resources.map((r) => `all(x: ${r.name}, x.state != ${statesOf(doc, r.name)[0] ?? '""'})`),
    ...doc.resources.map((r) => `count(${r.name}, ${statesOf(doc, r.name)[0] ?? '""'})`),
    ...(scenario?.instances ?? []).flatMap((i) => fieldsOf(doc, i.name, i.type)),
    ...doc.resources.flatMap((r) => statesOf(doc, r.name)),
    ...doc.operations.flatMap((op) => {
      const labels: string[] = [];
      forEachStep(op.steps, (s) => {
        if (s.label) labels.push(`at(${op.name}, "${s.label}")`);
      });
      return labels;
    }),
  ]);
}

/** Inserts `token` into `value` at the caret, with a space where needed. */
export function insertAt(value: string, caret: number, token: string): { value: string; caret: number } {
  const before = value.slice(0, caret);
  const after = value.slice(caret);
  const pad = before && !/[\s(,[!]$/.test(before) ? ' ' : '';
  const next = `${before}${pad}${token}${after}`;
  return { value: next, caret: before.length + pad.length + token.length };
}
