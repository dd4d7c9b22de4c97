'use client';

import { useEffect, useRef, useState } from 'react';
import type { ApiIssue } from '@/components/ui/api-client';
import { IssueList } from '@/components/ui/IssueList';
import dialogStyles from '@/components/ui/ConfirmDialog.module.css';

/**
 * "Save version": a message for the history, then the draft becomes the next
 * version. Modal, so the document cannot change while it is being saved.
 */
export function SaveVersionDialog(props: {
  open: boolean;
  base: number;
  initialMessage: string;
  busy: boolean;
  failure: { message: string; issues: ApiIssue[] } | null;
  onSave: (message: string) => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState(props.initialMessage);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setMessage(props.initialMessage);
      dialog.showModal();
    }
    if (!props.open && dialog.open) dialog.close();
  }, [props.open, props.initialMessage]);

  return (
    <dialog
      ref={ref}
      className={dialogStyles.dialog}
      onCancel={(e) => {
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
      aria-labelledby="save-version-title"
      data-testid="save-version-dialog"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!props.busy) props.onSave(message);
        }}
      >
        <h2 id="save-version-title">Save version</h2>
        <div className={dialogStyles.body}>
          <p>Your draft becomes the next version, under your name. It is based on version {props.base}; if someone saved since, their changes are merged in.</p>
          <label className="label" htmlFor="version-message">
            What changed
          </label>
          <input
            id="version-message"
            className="input"
            value={message}
            maxLength={2000}
            autoFocus
            placeholder="e.g. delete takes the share lock before the cas"
            onChange={(e) => setMessage(e.target.value)}
          />
          {props.failure && <IssueList title={props.failure.message} issues={props.failure.issues} testId="save-version-error" />}
        </div>
        <div className={dialogStyles.actions}>
          <button type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={props.busy}>
            {props.busy ? 'Saving…' : 'Save version'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
