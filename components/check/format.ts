/** Small formatting helpers for the check panel (same output on server and client). */
export const num = (n: number) => Math.round(n).toLocaleString('en');

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function verdictText(verdict: string, reason?: string): string {
  return verdict === 'incomplete' && reason ? `incomplete (${reason === 'simulation' ? 'no violation found' : reason})` : verdict;
}

export function expectText(expected: { verdict: string; kind?: string; name?: string } | null): string {
  if (!expected) return '—';
  if (expected.verdict === 'pass') return 'pass';
  return `violation: ${expected.kind}${expected.name ? ` ${expected.name}` : ''}`;
}
