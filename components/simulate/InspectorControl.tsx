'use client';

/**
 * The button that opens Stately's XState inspector. The inspector is a page on
 * stately.ai: opening it sends the simulated resource machines' states and
 * events to that third-party site, so the button first says so and asks.
 * It claims "Inspecting" only once the inspector has answered; a blocked popup
 * or no answer (offline) is reported instead.
 */
import { useEffect, useRef, useState } from 'react';
import type { InspectFn } from './useResourceActors';
import styles from './simulate.module.css';

export const INSPECTOR_URL = 'https://stately.ai/inspect';
/** How long to wait for the inspector page to say it is connected before calling it unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

type Status = { kind: 'off' } | { kind: 'connecting' } | { kind: 'connected' } | { kind: 'failed'; message: string };

export function InspectorControl({ onInspect }: { onInspect: (inspect: InspectFn) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [status, setStatus] = useState<Status>({ kind: 'off' });
  const cleanup = useRef<(() => void) | null>(null);
  useEffect(() => () => cleanup.current?.(), []);

  const open = async () => {
    dialog.current?.close();
    cleanup.current?.();
    // Open the popup ourselves (in the click's user activation) so a blocked popup is seen, not assumed away.
    const popup = window.open(INSPECTOR_URL, 'xstateinspector');
    if (!popup) {
      setStatus({ kind: 'failed', message: 'the browser blocked the popup window. Allow popups for this site and try again.' });
      return;
    }
    setStatus({ kind: 'connecting' });
    const onMessage = (event: MessageEvent) => {
      if (event.source === popup && (event.data as { type?: string } | null)?.type === '@statelyai.connected') setStatus({ kind: 'connected' });
    };
    window.addEventListener('message', onMessage);
    const timer = window.setTimeout(() => {
      setStatus((s) => (s.kind === 'connecting' ? { kind: 'failed', message: `no answer from ${INSPECTOR_URL} (offline, or the popup was closed).` } : s));
    }, CONNECT_TIMEOUT_MS);
    cleanup.current = () => {
      window.removeEventListener('message', onMessage);
      window.clearTimeout(timer);
    };
    try {
      const { createBrowserInspector } = await import('@statelyai/inspect');
      // The library opens its window through `window.open`: hand it the popup already opened.
      const host = { open: () => popup, addEventListener: window.addEventListener.bind(window) } as unknown as Window & typeof globalThis;
      const inspector = createBrowserInspector({ autoStart: true, url: INSPECTOR_URL, window: host });
      onInspect(inspector.inspect);
    } catch (error) {
      setStatus({ kind: 'failed', message: (error as Error).message });
    }
  };

  const label = status.kind === 'connected' ? 'Inspecting on stately.ai' : status.kind === 'connecting' ? 'Connecting to stately.ai…' : 'Inspect on stately.ai…';
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => dialog.current?.showModal()} data-testid="inspect" data-status={status.kind}>
        {label}
      </button>
      {status.kind === 'failed' ? (
        <span className={styles.error} role="status" data-testid="inspect-error">
          Inspector not connected: {status.message}
        </span>
      ) : null}
      <dialog ref={dialog} className={styles.dialog} aria-labelledby="inspector-notice-title" data-testid="inspector-notice">
        <h3 id="inspector-notice-title">Open Stately’s inspector?</h3>
        <p>
          The XState inspector is a page on <strong>stately.ai</strong>, a third-party site. It opens in a popup window, and the simulated resource machines’
          states and events (resource, state and instance names from this model) are sent to it while you simulate.
        </p>
        <p className={styles.note}>The diagrams and state panel on this page show the same states without it.</p>
        <div className={styles.buttons}>
          <button type="button" className="btn btn-small btn-primary" onClick={open}>
            Open stately.ai inspector
          </button>
          <button type="button" className="btn btn-small" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
