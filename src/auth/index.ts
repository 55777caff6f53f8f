// What other features may use of authentication (checked by `npm run lint`).
export { AuthModule } from './auth.module.js';
export { AuthGuard } from './auth.guard.js';
export { SigningKeysService } from './signing-keys.service.js';
