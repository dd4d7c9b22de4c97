import type { ApiIssue } from './api-client';

/** A failure with the document paths it names, e.g. `resources[0].initial: …`. */
export function IssueList({ title, issues, testId }: { title: string; issues: ApiIssue[]; testId?: string }) {
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <h3>{title}</h3>
      {issues.length > 0 && (
        <ul>
          {issues.slice(0, 20).map((issue, i) => (
            <li key={i}>
              {issue.path ? <code>{issue.path}</code> : <code>(document)</code>} {issue.message}
            </li>
          ))}
          {issues.length > 20 && <li>… and {issues.length - 20} more</li>}
        </ul>
      )}
    </div>
  );
}
