export { createApiServer } from './api-server.js';
export type { ApiServer, ApiServerOptions, ApiLogger } from './api-server.js';
export type { Route, RouteContext, RouteResult } from './router.js';
export type { ApiAccessControl, ApiCaller } from './api-access.js';
export { httpStatusOf, errorResponse } from './http-status.js';
export type { ErrorBody } from './http-status.js';
