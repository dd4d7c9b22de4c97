import Link from 'next/link';
import { requireAccount } from '@/lib/server/authorize-page';
import { workspacesOf } from '@/lib/server/workspaces';
import { CreateWorkspaceForm } from '@/components/workspace/CreateWorkspaceForm';
import styles from '@/components/workspace/workspace.module.css';

export const dynamic = 'force-dynamic';

export default async function WorkspacesPage() {
  const access = await requireAccount('/workspaces');
  const workspaces = await workspacesOf(access.actor.userId);
  return (
    <div className={styles.page}>
      <h1>Workspaces</h1>
      <p className="muted">Models belong to a workspace. Owners and admins invite members and set their roles.</p>
      {workspaces.length > 0 ? (
        <div className="card">
          <table className={styles.table} aria-label="Workspaces">
            <tbody>
              {workspaces.map((w) => (
                <tr key={w.id} data-testid="workspace-row">
                  <td>
                    <Link href={`/?workspace=${w.id}`}>{w.name}</Link>
                  </td>
                  <td>{w.role}</td>
                  <td className={styles.actions}>
                    <Link className="btn btn-small" href={`/workspaces/${w.id}`}>
                      Members
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">You are not in a workspace yet.</p>
      )}
      <CreateWorkspaceForm />
    </div>
  );
}
