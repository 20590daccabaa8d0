/**
 * An error the API answers with a 4xx status and a plain reason. Anything else thrown by a handler is a
 * bug and answers 500 with a generic message (the details go to the server log, redacted).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
    /** A stable machine-readable reason (`password_change_required`, `secrets_must_be_reentered`, …). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, message, details);
export const notFound = (what: string) => new HttpError(404, `${what} not found`);
export const conflict = (message: string) => new HttpError(409, message);
