import { ProcessDied, type VirtualClock } from './clock.ts';
import type { Rng } from './rng.ts';

/** What a scripted vendor sees of one HTTP request. */
export interface WireRequest {
  url: URL;
  headers: Headers;
  body: string;
}

export interface WireResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
  setCookies?: string[];
}

/**
 * How a vendor answers one call. `apply` changes the vendor's data and returns the answer it would give;
 * the wire then decides whether the answer reaches the client (a dropped connection after applying, a
 * timeout) — the part of a fault that is the network's, not the vendor's.
 */
export type Delivery =
  | { kind: 'answer'; response: WireResponse }
  /** The connection failed before the request reached the vendor (refused): nothing applied. */
  | { kind: 'refused' }
  /** The request was applied, but the answer never came (reset, or no answer within the timeout). */
  | { kind: 'lost' };

export interface VendorCall {
  at: number;
  vendor: string;
  api: string;
}

/** Hooks of the schedule into every call: the crash point and the call log (for the rate invariant). */
export interface WireHooks {
  /** Called before each call reaches a vendor; returns true when the process dies at this point. */
  crashHere(where: string): boolean;
  log: VendorCall[];
}

export function response(status: number, body: unknown, extra: Omit<WireResponse, 'status' | 'body'> = {}): WireResponse {
  return { status, body: typeof body === 'string' ? body : JSON.stringify(body), ...extra };
}

/** A real Response (the platforms stream its body); reading a string body settles within microtasks. */
function toResponse(r: WireResponse): Response {
  const headers = new Headers(r.headers ?? {});
  if (!headers.has('content-type')) headers.set('content-type', r.body.startsWith('{') || r.body.startsWith('[') ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
  for (const c of r.setCookies ?? []) headers.append('set-cookie', c);
  return new Response(r.body, { status: r.status, headers });
}

function netError(code?: string): Error {
  const cause = Object.assign(new Error(code ? `connect ${code}` : 'other side closed'), code ? { code } : {});
  return new TypeError('fetch failed', { cause });
}

/**
 * A `fetch` that speaks to a scripted vendor in-process, in virtual time: each call takes a random latency,
 * may die with the process (the crash point), and is logged.
 */
export function wireFetch(
  vendor: string,
  handle: (req: WireRequest, api: (name: string) => void) => Delivery,
  o: { clock: () => VirtualClock; rng: Rng; hooks: WireHooks; latencyMs: [number, number] },
): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const clock = o.clock();
    if (clock.dead) throw new ProcessDied();
    const signal = init?.signal ?? undefined;
    const url = new URL(String(input));
    const req: WireRequest = { url, headers: new Headers(init?.headers as Record<string, string>), body: typeof init?.body === 'string' ? init.body : '' };
    const half = () => Math.round(o.rng.int(o.latencyMs[0], o.latencyMs[1]) / 2);
    // Logged when ferry starts the call: the rate limit is about the calls ferry makes.
    o.hooks.log.push({ at: clock.now(), vendor, api: url.searchParams.get('method') ?? /([A-Za-z]+)\.common\.kdsvc$/.exec(url.pathname)?.[1] ?? url.pathname });
    await clock.sleep(half(), signal);
    // The process may die with the request on its way: it never reaches the vendor.
    if (o.hooks.crashHere(`${vendor} call`)) throw new ProcessDied();
    const delivery = handle(req, () => undefined);
    await clock.sleep(half(), signal);
    if (delivery.kind === 'refused') throw netError('ECONNREFUSED');
    if (delivery.kind === 'lost') throw netError();
    return toResponse(delivery.response);
  }) as typeof fetch;
}
