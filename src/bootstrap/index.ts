export { BootstrapModule } from './bootstrap.module.js';
export { type BootstrapResult, BootstrapService } from './bootstrap.service.js';
