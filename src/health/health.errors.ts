import { DomainError, type ErrorDetail } from '../common/errors/domain-error.js';

export type Dependency = 'database' | 'nats';

/** Readiness: a dependency the service needs to serve requests is down (one detail per dependency, `target` naming it). */
export class DependenciesUnavailable extends DomainError {
  constructor(down: Array<{ dependency: Dependency; message: string; cause?: unknown }>) {
    super(
      'DEPENDENCY_UNAVAILABLE',
      `not ready: ${down.map((d) => d.dependency).join(', ')} unavailable`,
      down.map(({ dependency, message }): ErrorDetail => ({ code: 'UNAVAILABLE', target: dependency, message })),
    );
    const causes = down.filter((d) => d.cause !== undefined).map((d) => d.cause);
    if (causes.length > 0) this.cause = causes.length === 1 ? causes[0] : new AggregateError(causes);
  }
}
