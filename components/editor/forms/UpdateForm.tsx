'use client';

/**
 * The form of an `update` step (Cinder's conditional_update): the instance,
 * its where conditions (field, operator, value), named filters, the fields it
 * sets, and what happens when a condition fails. The onFail block itself is
 * the step's nested block, which the step card shows.
 */
import { useMemo } from 'react';
import type { ModelDocument, Operation, Step } from '@/lib/model';
import { operationVocabulary } from '@/lib/editor/vocabulary';
import { useDoc, useEdit, useProblemsAt, useReadOnly } from '../context';
import { ExprField, FieldProblems, SelectField, TextField } from '../fields';
import styles from '../forms.module.css';

type UpdateStep = Extract<Step, { kind: 'update' }>;
type FieldType = NonNullable<ModelDocument['resources'][number]['fields']>[number]['type'];

const OPS = ['==', '!=', 'in', 'not in'] as const;

export function UpdateForm({ opIndex, path, step }: { opIndex: number; path: string; step: UpdateStep }) {
  const doc = useDoc();
  const edit = useEdit();
  const readOnly = useReadOnly();
  const op = doc.operations[opIndex];
  const vocab = useMemo(() => operationVocabulary(doc, op), [doc, op]);
  const resource = resourceOf(doc, op, step.target);
  const fields = resource ? ['state', ...(resource.fields ?? []).map((f) => f.name)] : [];
  const typeOf = (field: string): FieldType | 'state' | null => (field === 'state' ? 'state' : (resource?.fields?.find((f) => f.name === field)?.type ?? null));
  const statesId = `update-states-${path}`;
  const targetsId = `update-targets-${path}`;
  const unused = (taken: string[]) => fields.find((f) => !taken.includes(f)) ?? fields[0] ?? 'state';
  const fieldControl = (at: string, label: string) =>
    fields.length > 0 ? (
      <SelectField path={at} label={label} options={fields} className={styles.narrow} />
    ) : (
      <TextField path={at} label={label} mono className={styles.narrow} />
    );
  const removeButton = (list: string, index: number, what: string) =>
    !readOnly && (
      <button type="button" className={styles.iconButton} aria-label={`Remove ${what}`} onClick={() => edit({ type: 'remove', list, index })}>
        ×
      </button>
    );
  const filters = step.filters ?? [];
  const setProblems = useProblemsAt(`${path}.set`);
  return (
    <div className={styles.formStack} style={{ flex: '1 1 100%' }}>
      <ExprField path={`${path}.target`} label="update (instance)" list={targetsId} className={styles.narrow} />
      <datalist id={targetsId}>
        {op.params.map((p) => (
          <option key={p.name} value={p.name} />
        ))}
      </datalist>
      <datalist id={statesId}>
        {(resource?.states ?? []).map((s) => (
          <option key={s.name} value={`"${s.name}"`} />
        ))}
      </datalist>

      <div className={styles.subTitle} id={`${path}-set-title`}>
        set (values read the row as it was before the update)
      </div>
      <div className={styles.table} role="group" aria-labelledby={`${path}-set-title`} data-path={`${path}.set`}>
        {step.set.map((entry, i) => (
          <div key={i} className={styles.tableRow} data-testid="update-set-row">
            {fieldControl(`${path}.set[${i}].field`, `field ${i + 1}`)}
            <ExprField path={`${path}.set[${i}].value`} label="= value" list={entry.field === 'state' ? statesId : undefined} vocabulary={vocab} />
            {step.set.length > 1 && removeButton(`${path}.set`, i, `set ${entry.field}`)}
          </div>
        ))}
        <FieldProblems problems={setProblems} />
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const field = unused(step.set.map((s) => s.field));
              edit({ type: 'insert', list: `${path}.set`, index: step.set.length, value: { field, value: defaultValue(typeOf(field), resource, op) } });
            }}
          >
            + set a field
          </button>
        )}
      </div>

      <div className={styles.subTitle} id={`${path}-where-title`}>
        where (expected values of this row)
      </div>
      <div className={styles.table} role="group" aria-labelledby={`${path}-where-title`} data-path={`${path}.where`}>
        {step.where.map((cond, i) => (
          <div key={i} className={styles.tableRow} data-testid="update-where-row">
            {fieldControl(`${path}.where[${i}].field`, `condition ${i + 1} field`)}
            <SelectField path={`${path}.where[${i}].op`} label="operator" options={[...OPS]} className={styles.narrow} />
            <ExprField
              path={`${path}.where[${i}].value`}
              label={cond.op === 'in' || cond.op === 'not in' ? 'values (a list)' : 'value'}
              list={cond.field === 'state' && (cond.op === '==' || cond.op === '!=') ? statesId : undefined}
              vocabulary={vocab}
            />
            {removeButton(`${path}.where`, i, `condition on ${cond.field}`)}
            <RowProblems path={`${path}.where[${i}]`} />
          </div>
        ))}
        {step.where.length === 0 && <span className="muted">No condition on this row: the update always matches unless a filter fails.</span>}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const field = unused(step.where.map((w) => w.field));
              edit({ type: 'insert', list: `${path}.where`, index: step.where.length, value: { field, op: '==', value: defaultValue(typeOf(field), resource, op) } });
            }}
          >
            + condition
          </button>
        )}
      </div>

      <div className={styles.subTitle} id={`${path}-filters-title`}>
        filters (conditions over other instances, e.g. no snapshot exists)
      </div>
      <div className={styles.table} role="group" aria-labelledby={`${path}-filters-title`} data-path={`${path}.filters`}>
        {filters.map((filter, i) => (
          <div key={i} className={styles.tableRow} data-testid="update-filter-row">
            <TextField path={`${path}.filters[${i}].name`} label={`filter ${i + 1} name`} mono className={styles.narrow} />
            <ExprField path={`${path}.filters[${i}].cond`} label="holds when" vocabulary={vocab} />
            {removeButton(`${path}.filters`, i, `filter ${filter.name}`)}
          </div>
        ))}
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const taken = new Set([...step.where.map((w) => w.field), ...filters.map((f) => f.name)]);
              let n = filters.length + 1;
              while (taken.has(`filter${n}`)) n++;
              const value = { name: `filter${n}`, cond: 'true' };
              if (step.filters) edit({ type: 'insert', list: `${path}.filters`, index: filters.length, value });
              else edit({ type: 'set', path: `${path}.filters`, value: [value] });
            }}
          >
            + filter
          </button>
        )}
      </div>

      <div className={styles.row}>
        {step.onFail && (
          <TextField
            path={`${path}.failedAs`}
            label="failed condition into local"
            optional
            mono
            className={styles.narrow}
            placeholder="e.g. why"
            hint="Set to the name of the first condition that failed, for the steps run when a condition fails."
          />
        )}
        {/* Shown beside onFail only when set, so its "not both" problem is visible and can be cleared. */}
        {(!step.onFail || step.else !== undefined) && (
          <SelectField path={`${path}.else`} label="if a condition fails" options={['abort', 'skip', 'retry']} optional emptyLabel="abort (default)" className={styles.narrow} />
        )}
        {!step.onFail && step.else !== 'skip' && <TextField path={`${path}.message`} label="abort message" optional />}
      </div>
    </div>
  );
}

/** Problems about a whole row (a lint: the condition can never hold). */
function RowProblems({ path }: { path: string }) {
  return <FieldProblems problems={useProblemsAt(path)} />;
}

/** The resource of the update's target, when it is a parameter. */
function resourceOf(doc: ModelDocument, op: Operation, target: string) {
  const type = op.params.find((p) => p.name === target.trim())?.type;
  return doc.resources.find((r) => r.name === type);
}

/** A value of the field's type that validates: the first state, the first enum value, the lowest int… */
function defaultValue(type: FieldType | 'state' | null, resource: ModelDocument['resources'][number] | undefined, op: Operation): string {
  if (type === 'state') return `"${resource?.states[0]?.name ?? 'available'}"`;
  switch (type?.kind) {
    case 'bool':
      return 'true';
    case 'int':
      return String(type.min);
    case 'enum':
      return `"${type.values[0]}"`;
    case 'ref':
      return op.params.find((p) => p.type === type.resource)?.name ?? 'x';
    default:
      return '""';
  }
}
