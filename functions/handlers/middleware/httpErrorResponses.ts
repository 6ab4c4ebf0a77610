// Maps thrown errors to JSON answers: ours say what to fix; anything unexpected is a 500 that leaks nothing.

import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ForbiddenError, RetainError, type ErrorCode } from '../../core/errors.js';

/** The HTTP answer of each domain error. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_message: 400,
  invalid_journey: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  checklist_failed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(
  statusCode: number,
  code: ErrorCode,
  message: string,
  field?: string,
  permission?: string,
) {
  return jsonResponse(statusCode, {
    success: false,
    error: { code, message, ...(field ? { field } : {}), ...(permission ? { permission } : {}) },
  });
}

export function httpErrorResponses(
  logger: Logger,
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof RetainError) {
        const status = HTTP_STATUS[error.code];
        if (status >= 500) logger.warn('request refused by the store', { error: error.message });
        const permission = error instanceof ForbiddenError ? error.permission : undefined;
        request.response = errorResponse(status, error.code, error.message, error.field, permission);
        if (status === 503) request.response.headers = { ...request.response.headers, 'retry-after': '1' };
        return;
      }
      logger.error('unexpected error', error as Error);
      request.response = errorResponse(
        500,
        'internal',
        `internal error; quote request id ${request.context?.awsRequestId ?? 'unknown'} when reporting it`,
      );
    },
  };
}
