import Link from 'next/link';
import type { MyWorkspace } from '@/lib/transport/workspaces';
import styles from './models.module.css';

/** Which workspace's models are shown, the account's role in it, and the others to switch to. */
export function WorkspaceSwitcher({ workspaces, current }: { workspaces: MyWorkspace[]; current: MyWorkspace }) {
  return (
    <div className={styles.switcher} data-testid="workspace-switcher">
      <strong data-testid="current-workspace">{current.name}</strong>
      <span className={styles.role} data-testid="current-role">
        {current.role}
      </span>
      <Link href={`/workspaces/${current.id}`}>Members</Link>
      {workspaces
        .filter((w) => w.id !== current.id)
        .map((w) => (
          <Link key={w.id} href={`/?workspace=${w.id}`} className="muted">
            {w.name}
          </Link>
        ))}
    </div>
  );
}
