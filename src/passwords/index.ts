// What other features may use of passwords (checked by `npm run lint`).
export { PasswordsModule } from './passwords.module.js';
export { PasswordPoliciesService } from './password-policies.service.js';
