// What other features may use of the lock sweeper (checked by `npm run lint`).
export { LockoutModule } from './lockout.module.js';
export { LockExpirySweeper } from './lock-expiry.sweeper.js';
