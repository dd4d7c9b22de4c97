/** Browser-side calls to the models API, with its error shape decoded. */
export interface ApiIssue {
  path: string;
  message: string;
}

export interface ApiFailure {
  status: number;
  error: string;
  issues: ApiIssue[];
  body: Record<string, unknown>;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; failure: ApiFailure };

export async function callApi<T>(url: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  } catch {
    return { ok: false, failure: { status: 0, error: 'Could not reach the server.', issues: [], body: {} } };
  }
  if (response.status === 204) return { ok: true, data: undefined as T };
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return { ok: true, data: body as T };
  return {
    ok: false,
    failure: {
      status: response.status,
      error: typeof body.error === 'string' ? body.error : `Request failed (${response.status})`,
      issues: Array.isArray(body.issues) ? (body.issues as ApiIssue[]) : [],
      body,
    },
  };
}
