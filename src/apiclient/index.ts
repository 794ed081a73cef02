export { ApiClient, statusLine } from './api-client.js';
export type { ApiClientOptions, ApiResponse, TxOptions } from './api-client.js';
export { errorFromResponse, connectionError } from './api-error.js';
