// What other features may use of groups (checked by `npm run lint`).
export { GroupsModule } from './groups.module.js';
