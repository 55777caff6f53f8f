// What other features may use of applications (checked by `npm run lint`).
export { ApplicationsModule } from './applications.module.js';
export { ApplicationsService } from './applications.service.js';
export { type AuthenticatedClient, ClientAuthenticator } from './client-authenticator.js';
