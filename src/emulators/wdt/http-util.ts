import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small node:http helpers: read the body, merge query and form params, send an answer. */

export type Answer =
  | { kind: 'json'; status: number; body: string; /** vendor code answered, for stats */ code?: string }
  | { kind: 'raw'; status: number; body: string; contentType: string; code?: string }
  | { kind: 'drop'; code?: string };

const MAX_BODY = 4 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('application/x-www-form-urlencoded');
}

/**
 * Params from the query string and, for form bodies, from the body (wdt-api.md §1.1, §2.2: clients differ
 * in where they put them, so merge both; the body wins). Returns the raw body when it is not a form, since
 * the Qimen sign covers such a body (§2.3).
 */
export function collectParams(url: URL, body: string, contentType: string | undefined): {
  params: Record<string, string>;
  nonFormBody: string;
} {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  if (isForm(contentType)) {
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    return { params, nonFormBody: '' };
  }
  return { params, nonFormBody: body };
}

export function json(value: unknown, code?: string): Answer {
  return { kind: 'json', status: 200, body: JSON.stringify(value), ...(code !== undefined ? { code } : {}) };
}

export function send(res: ServerResponse, answer: Answer): void {
  if (answer.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  const contentType = answer.kind === 'json' ? 'application/json;charset=utf-8' : answer.contentType;
  res.writeHead(answer.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
