/**
 * Typed errors with stable codes. The API maps each code to an HTTP status once
 * (packages/functions/src/api/error.ts); the codes are part of the public contract.
 */
export const ErrorCodes = {
  bad_request: 400,
  validation: 400,
  invalid_code: 400,
  code_expired: 400,
  unauthorized: 401,
  payment_required: 402,
  invalid_signature: 400,
  billing_unavailable: 503,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  slug_taken: 409,
  already_member: 409,
  last_owner: 409,
  payload_too_large: 413,
  limit_exceeded: 409,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_attempts: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class VisibleError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "VisibleError";
  }

  get status(): number {
    return ErrorCodes[this.code];
  }
}

export class NotFoundError extends VisibleError {
  constructor(what: string) {
    super("not_found", `${what} not found`);
  }
}

export class ForbiddenError extends VisibleError {
  constructor(message = "You do not have permission to do this") {
    super("forbidden", message);
  }
}

export class UnauthorizedError extends VisibleError {
  constructor(message = "Sign in to continue") {
    super("unauthorized", message);
  }
}
