'use client';

import Link from 'next/link';
import type { ModelAccess, ModelWithHead, VersionSummary } from '@/lib/transport/models';
import { formatTime, plural } from '@/components/ui/format';
import { DeleteModelButton } from '@/components/models/DeleteModelButton';
import { DuplicateModelButton } from '@/components/models/DuplicateModelButton';
import { UseTemplateButton } from '@/components/models/UseTemplateButton';
import type { MyWorkspace } from '@/lib/transport/workspaces';
import { DetailsForm } from './DetailsForm';
import { VersionHistory } from './VersionHistory';
import { ModelReviews } from './ModelReviews';
import styles from './model-page.module.css';

export type { ModelAccess } from '@/lib/transport/models';

/**
 * The model page shell: name, description, what the model holds and its
 * version history, with the actions the account's role allows.
 */
export function ModelPage({ model, versions, access }: { model: ModelWithHead; versions: VersionSummary[]; access: ModelAccess }) {
  const doc = model.head.document;
  const counts = [
    plural(doc.resources.length, 'resource'),
    plural(doc.locks?.length ?? 0, 'lock'),
    plural(doc.operations?.length ?? 0, 'operation'),
    plural(doc.invariants?.length ?? 0, 'invariant'),
    plural(doc.scenarios?.length ?? 0, 'scenario'),
  ];
  return (
    <div className={styles.page}>
      <nav className={styles.crumbs}>
        <Link href="/">Models</Link> <span aria-hidden>/</span> <span>{access.workspace ?? 'Examples'}</span> <span aria-hidden>/</span> <span>{model.name}</span>
      </nav>
      <header className={styles.header}>
        <div>
          <h1 data-testid="model-name">{model.name}</h1>
          <p className={styles.meta}>
            Version {model.head.number} · saved {formatTime(model.updatedAt)} by {model.head.author}
          </p>
        </div>
        <div className={styles.headerActions}>
          {access.canWrite && (
            <Link className="btn btn-primary" href={`/models/${model.id}/edit`} data-testid="open-editor">
              Open editor
            </Link>
          )}
          {access.workspace === null && access.templateTargets.length > 0 && (
            <UseTemplateButton id={model.id} name={model.name} workspaces={access.templateTargets} />
          )}
          <Link className="btn" href={`/models/${model.id}/check`} data-testid="open-check">
            Check
          </Link>
          <a className="btn" href={`/api/models/${model.id}/export`} download>
            Export JSON
          </a>
          <Link className="btn" href={`/models/${model.id}/export`} data-testid="open-export">
            Export code
          </Link>
          {access.canWrite && model.workspaceId && <DuplicateModelButton id={model.id} name={model.name} workspaceId={model.workspaceId} small={false} />}
          {access.canDelete && <DeleteModelButton id={model.id} name={model.name} versionCount={model.versionCount} small={false} />}
        </div>
      </header>

      <div className={styles.columns}>
        <div className={styles.main}>
          <section className={`card ${styles.section}`}>
            <h2>Description</h2>
            {model.description ? (
              <p className={styles.description} data-testid="model-description">
                {model.description}
              </p>
            ) : (
              <p className="muted" data-testid="model-description">
                No description yet.
              </p>
            )}
            <ul className={styles.counts}>
              {counts.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
            <div className={styles.resources}>
              {doc.resources.map((r) => (
                <div key={r.name} className={styles.resource}>
                  <strong>{r.name}</strong>
                  <span className="muted">{r.states.map((s) => s.name).join(' · ')}</span>
                </div>
              ))}
            </div>
          </section>
          {access.workspace !== null ? <ModelReviews modelId={model.id} versions={versions} canOpen={access.canWrite} /> : null}
          {access.canWrite ? (
            <DetailsForm modelId={model.id} head={model.head} />
          ) : (
            <p className="muted" data-testid="read-only-note">
              {access.workspace === null
                ? 'A shipped example: read-only for everyone. Use it as a template to change a copy.'
                : `Read-only: you are a viewer in ${access.workspace}.`}
            </p>
          )}
        </div>
        <aside className={styles.side}>
          <VersionHistory modelId={model.id} versions={versions} />
        </aside>
      </div>
    </div>
  );
}
