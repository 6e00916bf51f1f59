/** The errors every transport carries unchanged: a code and a message meant for the caller. */

export const ERROR_CODES = [
  'invalid_params',
  'unknown_method',
  'no_project',
  'not_found',
  'not_available',
  'conflict',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
}

/** An error meant for the caller: its code and message cross the transport verbatim. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

/**
 * The {code, message} of any thrown value: an ApiError keeps its own (also one from another
 * copy of this module, e.g. across a bundle boundary), anything else becomes 'internal'.
 */
export function errorShapeOf(e: unknown, prefix?: string): ApiErrorShape {
  const maybe = e as { code?: unknown; message?: unknown } | null;
  if (maybe && typeof maybe === 'object' && (ERROR_CODES as readonly unknown[]).includes(maybe.code) && typeof maybe.message === 'string') {
    return { code: maybe.code as ErrorCode, message: maybe.message };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: prefix ? `${prefix}: ${message}` : message };
}
