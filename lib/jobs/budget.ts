/**
 * What verifying one run may cost the server. Defaults suit a small team
 * server (2 cores); each can be raised by environment variable.
 */
import type { VerifyBudget } from '@/lib/check/verify';

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export function verifyBudget(): VerifyBudget {
  return {
    maxStates: envInt('LOCKSTEP_VERIFY_MAX_STATES', 2_000_000),
    maxBytes: envInt('LOCKSTEP_VERIFY_MAX_MB', 256) * 2 ** 20,
    timeLimitMs: envInt('LOCKSTEP_VERIFY_TIME_MS', 60_000),
  };
}

/** Wall time a verification task gets before its thread is killed: the check's own limit plus room to start and rebuild a trace. */
export const verifyTimeoutMs = (budget: VerifyBudget) => budget.timeLimitMs + 15_000;

/** Wall time of a request's replay task (a trace, or a page of states): short, a person is waiting. */
export const requestTimeoutMs = () => envInt('LOCKSTEP_REPLAY_TIME_MS', 10_000);
