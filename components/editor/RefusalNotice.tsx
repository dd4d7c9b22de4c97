'use client';

import { useCurrentRefusal, useRefusal } from './refusal';
import { useFocusPath } from './focus';
import styles from './forms.module.css';

/** Why an edit was refused, with each place at fault one click away. */
export function RefusalNotice({ scope }: { scope: string }) {
  const refusal = useCurrentRefusal();
  const clear = useRefusal();
  const focus = useFocusPath();
  if (!refusal || refusal.scope !== scope) return null;
  return (
    <div className="alert alert-warn" role="alert" data-testid="delete-refused" style={{ marginTop: 12 }}>
      <h3>{refusal.title}</h3>
      <ul>
        {refusal.references.slice(0, 12).map((r, i) => (
          <li key={i}>
            <button type="button" className={styles.linkButton} onClick={() => focus(r.path)}>
              {r.message}
            </button>
          </li>
        ))}
        {refusal.references.length > 12 && <li>… and {refusal.references.length - 12} more</li>}
      </ul>
      <button type="button" className="btn btn-small" onClick={() => clear(null)} style={{ marginTop: 8 }}>
        Dismiss
      </button>
    </div>
  );
}
