import { DomainError } from '../common/errors/domain-error.js';

/** `/metrics` without METRICS_TOKEN set: answered as a route that does not exist. */
export class MetricsNotServed extends DomainError {
  constructor() {
    super('ROUTE_NOT_FOUND', 'metrics are not served: METRICS_TOKEN is not set');
  }
}

export class WrongMetricsToken extends DomainError {
  constructor() {
    super('INVALID_TOKEN', 'metrics token missing or wrong', [
      { code: 'INVALID_TOKEN', message: 'The metrics token (METRICS_TOKEN) is missing or wrong.' },
    ]);
  }
}
