/**
 * Replaying move codes in the browser: the trace view and the manual
 * simulator use lib/check's replay (the server uses the same module, never
 * this one), so both show exactly the checker's semantics.
 */
export {
  analyze,
  openSession,
  openStepApi,
  replayMoves,
  replayStates,
  replayWindow,
  toReport,
  type ReplayOptions,
  type Replayed,
  type Session,
  type TraceWindow,
} from '@/lib/check/replay';
