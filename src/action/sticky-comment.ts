/** Finds fedc's comment on a pull request again by this hidden first line. */
export const COMMENT_MARKER = '<!-- fedc-diff: this comment is updated on every push -->';

/** GitHub refuses comment bodies longer than this. */
export const COMMENT_LIMIT = 65536;

export type CommentOutcome = { posted: 'created' | 'updated'; url?: string } | { posted: false; reason: string };

interface Comment {
  id: number;
  body?: string;
  html_url?: string;
  user?: { login?: string } | null;
}

/**
 * One comment per pull request, created on the first run and edited in place on every later one:
 * the first comment of the issue by `author` (the token's account) whose body starts with the
 * marker. Anyone may write the marker: a comment of another author is never taken over. A token
 * that may not write (a fork's pull request: 403) is no failure: the caller says so and keeps the
 * summary.
 */
export async function upsertComment(apiUrl: string, repository: string, issue: number, token: string, body: string, author: string): Promise<CommentOutcome> {
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'user-agent': 'fedc-action',
    'x-github-api-version': '2022-11-28',
  };
  const base = `${apiUrl}/repos/${repository}`;
  try {
    let existing: Comment | undefined;
    for (let page = 1; page <= 50 && !existing; page++) {
      const res = await fetch(`${base}/issues/${issue}/comments?per_page=100&page=${page}`, { headers });
      if (!res.ok) return { posted: false, reason: `listing the pull request's comments failed: ${res.status} ${res.statusText}` };
      const list = (await res.json()) as Comment[];
      existing = list.find((c) => c.user?.login === author && c.body?.startsWith(COMMENT_MARKER));
      if (list.length < 100) break;
    }
    const res = existing
      ? await fetch(`${base}/issues/comments/${existing.id}`, { method: 'PATCH', headers, body: JSON.stringify({ body }) })
      : await fetch(`${base}/issues/${issue}/comments`, { method: 'POST', headers, body: JSON.stringify({ body }) });
    return await outcomeOf(res, existing !== undefined);
  } catch (err) {
    // no connection (refused, DNS, a proxy's or private CA's TLS), or an answer that is not JSON
    return { posted: false, reason: `the GitHub API at ${apiUrl} could not be used: ${reasonOf(err)}` };
  }
}

/** What fetch's error says: undici hides the cause (ECONNREFUSED, ENOTFOUND, a certificate) under "fetch failed". */
function reasonOf(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return (cause ? `${e.message} (${cause})` : String(e.message ?? err)).replace(/\r?\n/g, ' ');
}

async function outcomeOf(res: Response, updated: boolean): Promise<CommentOutcome> {
  if (!res.ok) {
    const why = res.status === 403 || res.status === 404
      ? `the token may not comment (${res.status}): a pull request from a fork gets a read-only token; see the README for the workflow_run setup`
      : `${res.status} ${res.statusText}`;
    return { posted: false, reason: why };
  }
  const c = (await res.json()) as Comment;
  return { posted: updated ? 'updated' : 'created', ...(c.html_url ? { url: c.html_url } : {}) };
}
