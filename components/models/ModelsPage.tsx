'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { ModelSummary } from '@/lib/db/models';
import { formatTime, plural } from '@/components/ui/format';
import { CreateModelForm } from './CreateModelForm';
import { ImportModelButton } from './ImportModelButton';
import { DeleteModelButton } from './DeleteModelButton';
import styles from './models.module.css';

/** The models page: every stored model, with create, import, export and delete. */
export function ModelsPage({ models }: { models: ModelSummary[] }) {
  const [notice, setNotice] = useState<React.ReactNode>(null);

  return (
    <div className={styles.page}>
      <div className={styles.head}>
        <div>
          <h1>Models</h1>
          <p className="muted">
            Each model describes resources, their lifecycles, the operations that race on them and the locks meant to keep them apart.
          </p>
        </div>
        <ImportModelButton onError={setNotice} />
      </div>

      <CreateModelForm />
      {notice}

      {models.length === 0 ? (
        <div className={`card ${styles.empty}`}>
          <h2>No models yet</h2>
          <p className="muted">Create one above, or import a model JSON file.</p>
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
                  <td>
                    <Link href={`/models/${m.id}`} className={styles.name}>
                      {m.name}
                    </Link>
                    {m.description && <div className={styles.description}>{m.description}</div>}
                  </td>
                  <td className={styles.time}>{formatTime(m.updatedAt)}</td>
                  <td className={styles.num}>{plural(m.versionCount, 'version')}</td>
                  <td className={styles.actions}>
                    <a className="btn btn-small" href={`/api/models/${m.id}/export`} download>
                      Export
                    </a>
                    <DeleteModelButton id={m.id} name={m.name} versionCount={m.versionCount} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
