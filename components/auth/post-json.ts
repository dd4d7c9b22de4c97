/** POSTs JSON to the app's API and returns the status with the parsed body (the API's `{ error, issues }` on failure). */
export interface ApiReply {
  status: number;
  body: { error?: string; issues?: { path: string; message: string }[]; [key: string]: unknown };
}

export async function postJson(path: string, body: unknown): Promise<ApiReply> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const parsed = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  return { status: response.status, body: parsed };
}

/** The message of the issue at `path`, if any. */
export function issueAt(reply: ApiReply | null, path: string): string | undefined {
  return reply?.body.issues?.find((i) => i.path === path)?.message;
}
