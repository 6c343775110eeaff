/** Constructors for errors both servers raise in many places, worded as Meta words them. */
import { ErrorCode } from './catalogue.js';
import { GraphError } from './graph-error.js';

export function invalidToken(): GraphError {
  return new GraphError(ErrorCode.AccessTokenExpired, {
    message: 'Invalid OAuth access token - Cannot parse access token',
    details: 'The access token is missing, malformed, expired or revoked.',
  });
}

/** Meta's answer for an id the caller may not see: indistinguishable from one that does not exist. */
export function unknownObject(id: string, method = 'get'): GraphError {
  return new GraphError(ErrorCode.InvalidParameter, {
    message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    subcode: 33,
    type: 'GraphMethodException',
  });
}

export function noPermission(): GraphError {
  return new GraphError(ErrorCode.PermissionError, {
    message: '(#200) You do not have permission to access this field or object',
    details: 'The access token has no permission on this WhatsApp Business asset.',
  });
}

export function missingParameter(name: string): GraphError {
  return new GraphError(ErrorCode.InvalidParameter, {
    message: `(#100) The parameter ${name} is required.`,
    details: `The parameter ${name} is required.`,
  });
}

export function invalidParameter(details: string): GraphError {
  return new GraphError(ErrorCode.InvalidParameter, { details });
}

export function unknownPath(method: string, path: string): GraphError {
  return new GraphError(ErrorCode.UnknownPath, {
    message: `Unknown path components: ${path}`,
    details: `No ${method} route matches ${path}.`,
  });
}
