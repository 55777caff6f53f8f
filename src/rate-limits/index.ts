// What other features may use of the rate limits (checked by `npm run lint`).
export { RateLimitsModule } from './rate-limits.module.js';
export { type Attempt, RateLimits } from './rate-limits.service.js';
