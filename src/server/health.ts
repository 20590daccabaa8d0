/**
 * Readiness of `ferry serve`: every store it needs answers. One process: the SQLite database. Scaled out: also
 * PostgreSQL (runs, ledger, checkpoints) and Redis (the run queue). Each check has its own time limit, so a probe
 * never hangs on a dependency that does not answer; the answer names the ones that failed.
 */
export type HealthCheck = { name: 'sqlite' | 'postgres' | 'redis'; check: () => Promise<unknown> };

export interface Readiness {
  ok: boolean;
  /** `ok`, or why the check failed. */
  checks: Record<string, string>;
  failed: string[];
}

export const CHECK_TIMEOUT_MS = 2000;

export async function readiness(checks: HealthCheck[], timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (c) => [c.name, await outcome(c.check, timeoutMs)] as const));
  const failed = results.filter(([, r]) => r !== 'ok').map(([n]) => n);
  return { ok: failed.length === 0, checks: Object.fromEntries(results), failed };
}

async function outcome(check: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}
