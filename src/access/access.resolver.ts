import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '../common/authorization/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DATABASE, type Database } from '../database/database.js';
import { Access, type Grant } from '../common/authorization/access.js';
import { RoleAssignmentsRepository } from './role-assignments.repository.js';

interface CachedGrants {
  grants: Promise<Grant[]>;
  expiresAt: number;
}

const MAX_CACHED_APPLICATIONS = 10_000;
/** Announced by database triggers (see the access_change_notifications migration) on every change. */
export const ACCESS_CHANGED_CHANNEL = 'access_changed';

/**
 * Resolves what a caller may do from its role assignments. An application's grants are cached for
 * `PERMISSION_CACHE_TTL_MS`; a change to the application or its assignments drops the entry on
 * every instance as soon as it commits (database triggers NOTIFY, each instance LISTENs), and the
 * time limit bounds staleness should a notification be lost.
 */
@Injectable()
export class AccessResolver implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, CachedGrants>();
  /** Told of every change to an application's access (null: of any, after a lost notification). */
  private readonly listeners = new Set<(applicationId: string | null) => void>();
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly assignments: RoleAssignmentsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.permissionCacheTtlMs === 0) return;
    this.stopListening = await this.database.listen(
      ACCESS_CHANGED_CHANNEL,
      (applicationId) => this.invalidate(applicationId),
      () => {
        this.cache.clear();
        for (const listener of this.listeners) listener(null);
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopListening?.();
  }

  async resolve(principal: Principal): Promise<Access> {
    return new Access(principal.environmentId, await this.grantsOf(principal));
  }

  private async grantsOf({ grants: source, environmentId }: Principal): Promise<readonly Grant[]> {
    switch (source.from) {
      case 'token':
        return source.grants;
      case 'application':
        return this.grantsOfApplication(environmentId, source.applicationId);
      case 'user':
        // Not cached: a user's lock or disablement must take its access away on the next request.
        return this.assignments.grantsOfUser(environmentId, source.attribute, source.value, new Date());
    }
  }

  /**
   * Drops the application's cached grants on this instance at once, without waiting for the
   * notification: call it after any change to the application or to its role assignments.
   */
  invalidate(applicationId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${applicationId}/`)) this.cache.delete(key);
    for (const listener of this.listeners) listener(applicationId);
  }

  /** Calls `listener` with each application whose access changed (null: any may have). */
  onChange(listener: (applicationId: string | null) => void): void {
    this.listeners.add(listener);
  }

  private grantsOfApplication(environmentId: string, applicationId: string): Promise<Grant[]> {
    const ttl = this.config.permissionCacheTtlMs;
    if (ttl === 0) return this.assignments.grantsOfApplication(environmentId, applicationId);
    // Keyed by both: a token naming an application of another environment resolves to nothing.
    const key = `${applicationId}/${environmentId}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.grants;
    if (this.cache.size >= MAX_CACHED_APPLICATIONS) this.evictExpired(now);
    const grants = this.assignments.grantsOfApplication(environmentId, applicationId);
    // A failed read is not remembered.
    grants.catch(() => this.cache.get(key)?.grants === grants && this.cache.delete(key));
    this.cache.set(key, { grants, expiresAt: now + ttl });
    return grants;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(key);
    if (this.cache.size >= MAX_CACHED_APPLICATIONS) this.cache.clear();
  }
}
