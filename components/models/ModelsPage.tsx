'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { ModelSummary } from '@/lib/transport/models';
import type { MyWorkspace } from '@/lib/transport/workspaces';
import { formatTime, plural } from '@/components/ui/format';
import { CreateModelForm } from './CreateModelForm';
import { ImportModelButton } from './ImportModelButton';
import { DeleteModelButton } from './DeleteModelButton';
import { DuplicateModelButton } from './DuplicateModelButton';
import { UseTemplateButton } from './UseTemplateButton';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';
import styles from './models.module.css';

export interface ModelsPageProps {
  /** Every workspace the account belongs to. */
  workspaces: MyWorkspace[];
  /** The workspace shown; null when the account belongs to none. */
  current: MyWorkspace | null;
  models: ModelSummary[];
  /** The shipped examples: read-only, copied with "Use as template". */
  examples: ModelSummary[];
  canWrite: boolean;
  canDelete: boolean;
}

/** The models page: one workspace's models (create, import, export, delete as the role allows) and the examples gallery. */
export function ModelsPage({ workspaces, current, models, examples, canWrite, canDelete }: ModelsPageProps) {
  const [notice, setNotice] = useState<React.ReactNode>(null);
  const writable = workspaces.filter((w) => w.role !== 'viewer');

  return (
    <div className={styles.page}>
      <div className={styles.head}>
        <div>
          <h1>Models</h1>
          <p className="muted">
            Each model describes resources, their lifecycles, the operations that race on them and the locks meant to keep them apart.
          </p>
        </div>
        {current && canWrite && <ImportModelButton workspaceId={current.id} onError={setNotice} />}
      </div>

      {current ? (
        <WorkspaceSwitcher workspaces={workspaces} current={current} />
      ) : (
        <div className={`card ${styles.empty}`} data-testid="no-workspace">
          <h2>You are not in a workspace yet</h2>
          <p className="muted">
            Ask an administrator for an invitation link, or <Link href="/workspaces">create a workspace</Link>. The examples below are open to every account.
          </p>
        </div>
      )}

      {current && canWrite && <CreateModelForm workspaceId={current.id} />}
      {current && !canWrite && (
        <p className="muted" data-testid="viewer-note">
          You are a viewer in {current.name}: you can open and check its models, not change them.
        </p>
      )}
      {notice}

      {current &&
        (models.length === 0 ? (
          <div className={`card ${styles.empty}`}>
            <h2>No models in {current.name} yet</h2>
            <p className="muted">{canWrite ? 'Create one above, import a model JSON file, or start from an example below.' : 'An editor has not created any yet.'}</p>
          </div>
        ) : (
          <div className="card">
            <table className={styles.table} aria-label="Models">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Last saved</th>
                  <th className={styles.num}>Versions</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {models.map((m) => (
                  <tr key={m.id} data-testid="model-row" data-model-id={m.id}>
                    <NameCell model={m} />
                    <td className={styles.time}>{formatTime(m.updatedAt)}</td>
                    <td className={styles.num}>{plural(m.versionCount, 'version')}</td>
                    <td className={styles.actions}>
                      <a className="btn btn-small" href={`/api/models/${m.id}/export`} download>
                        Export
                      </a>
                      {canWrite && <DuplicateModelButton id={m.id} name={m.name} workspaceId={current.id} />}
                      {canDelete && <DeleteModelButton id={m.id} name={m.name} versionCount={m.versionCount} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      {examples.length > 0 && (
        <section className={styles.gallery} aria-label="Examples">
          <h2>Examples</h2>
          <p className="muted">Shipped designs, read-only for everyone. Open one to read and check it; use it as a template to change it.</p>
          <div className="card">
            <table className={styles.table} aria-label="Example models">
              <tbody>
                {examples.map((m) => (
                  <tr key={m.id} data-testid="example-row" data-model-id={m.id}>
                    <NameCell model={m} />
                    <td className={styles.actions}>
                      {writable.length > 0 && <UseTemplateButton id={m.id} name={m.name} workspaces={writable} preferred={canWrite ? current?.id : undefined} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}

/** A model's name (linking to its page) and description: the first cell of both tables. */
function NameCell({ model }: { model: ModelSummary }) {
  return (
    <td>
      <Link href={`/models/${model.id}`} className={styles.name}>
        {model.name}
      </Link>
      {model.description && <div className={styles.description}>{model.description}</div>}
    </td>
  );
}
