// What other features may use of environments (checked by `npm run lint`).
export { EnvironmentsModule } from './environments.module.js';
export { EnvironmentsService } from './environments.service.js';
export { PopulationsService } from './populations.service.js';
