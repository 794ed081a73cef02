export { pullImage, type PullOptions, type PullResult } from './pull-image.js';
export { TokenCache } from './token-cache.js';
export type { RetryPolicy } from './registry-retry.js';
export { registryEndpoints, isLoopbackHost, type RegistryEndpoint } from './registry-endpoints.js';
export { storedImage } from '../stored-image.js';
