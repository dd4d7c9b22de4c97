/**
 * Next's start-up hook: starts the background job runner (verification of
 * reported check runs) in the Node.js server. Jobs left queued or running by
 * a previous process are picked up again here.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startJobRunner } = await import('./lib/jobs/start');
  await startJobRunner().catch((error) => console.error('[lockstep jobs] could not start the job runner:', error));
}
