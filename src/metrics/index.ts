// What other features may use of the metrics endpoint (checked by `npm run lint`).
export { MetricsEndpointModule } from './metrics-endpoint.module.js';
