import type { Reach } from '../common/authorization/access.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/context/request-context.js';
import { parseFilter } from '../common/filter/scim-filter.js';
import { decodeCursor } from '../common/pagination/cursor.js';
import { TransactionHost } from '../database/transaction-host.js';
import { PopulationsService } from '../environments/index.js';
import type { EventType } from '../events/event-catalog.js';
import { OutboxWriter } from '../events/outbox.writer.js';
import type { UserAttributesDto, UserBodyDto, UserPatchDto } from './dto/user-body.dto.js';
import type { UserInclude } from './dto/requests.dto.js';
import { USER_FILTER_SCHEMA } from './user-filter.js';
import { groupsNamedIn } from './user-filter.query.js';
import type { ImportedState, ProfileChanges, User, UserProfile } from './user.js';
import { hidingForeignUsers, PopulationNotFound, UserNotFound } from './users.errors.js';
import { UsersRepository, type UserPage } from './users.repository.js';

export const DEFAULT_PAGE_SIZE = 100;

/** The groups of each user (direct and nested), read when a request includes memberOfGroupIDs or memberOfGroupNames. */
export type UserGroups = ReadonlyMap<string, ReadonlyArray<{ id: string; name: string }>>;

/** Users' profiles: create, read, list, replace, patch, delete, enable. Each write records its event. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly populations: PopulationsService,
    private readonly events: OutboxWriter,
    private readonly transactions: TransactionHost,
  ) {}

  /**
   * `reach`: where the caller's permission reaches; a taken username of a user beyond it is reported without that user's id.
   * `imported`: what an import sets beyond the profile (user.import+json).
   */
  create(environmentId: string, body: UserBodyDto, context: RequestContext, reach: Reach, imported?: ImportedState): Promise<User> {
    return hidingForeignUsers(reach, () =>
      this.transactions.run(async () => {
        const populationId = await this.populationFor(environmentId, body.population?.id);
        const user = await this.users.create(environmentId, populationId, randomUUID(), fullProfile(body), imported);
        await this.record('USER.CREATED', user, context, 'Created user');
        return user;
      }),
    );
  }

  async get(environmentId: string, id: string): Promise<User> {
    return (await this.users.findById(environmentId, id)) ?? notFound();
  }

  async list(environmentId: string, query: { filter?: string; limit?: number; cursor?: string }, reach: Reach): Promise<UserPage> {
    const filter = query.filter?.trim() ? parseFilter(query.filter, USER_FILTER_SCHEMA) : undefined;
    const afterId = query.cursor ? decodeCursor(query.cursor) : undefined;
    const populationIds = reach.kind === 'populations' ? [...reach.populationIds] : reach.kind === 'none' ? [] : undefined;
    // memberOfGroups[id eq "..."]: the group and the groups nested in it are read first, then users by the membership index.
    const groups = filter ? await this.users.groupClosures(environmentId, groupsNamedIn(filter)) : undefined;
    return this.users.list(environmentId, filter, query.limit ?? DEFAULT_PAGE_SIZE, afterId, populationIds, groups);
  }

  /** The groups of these users when `includes` asks for them; undefined (nothing read) otherwise. */
  async groupsOf(users: readonly User[], includes: ReadonlySet<UserInclude>): Promise<UserGroups | undefined> {
    return includes.size === 0 ? undefined : this.users.groupsOfUsers(users.map((u) => u.id));
  }

  /** PUT: every writable attribute takes the body's value; those left out are cleared. */
  async replace(environmentId: string, id: string, body: UserBodyDto, context: RequestContext, reach: Reach): Promise<User> {
    return hidingForeignUsers(reach, () => this.update(environmentId, id, fullProfile(body), body.population?.id, context));
  }

  /** PATCH: only the attributes in the body change. */
  async patch(environmentId: string, id: string, body: UserPatchDto, context: RequestContext, reach: Reach): Promise<User> {
    return hidingForeignUsers(reach, () => this.update(environmentId, id, partialProfile(body), body.population?.id, context));
  }

  /**
   * `PUT /users/{id}/population`: the move a PATCH of `population.id` makes (same checks, same
   * USER.UPDATED), reported against the body's `id`.
   */
  async movePopulation(environmentId: string, id: string, populationId: string, context: RequestContext, reach: Reach): Promise<User> {
    try {
      return await hidingForeignUsers(reach, () => this.update(environmentId, id, {}, populationId, context));
    } catch (error) {
      if (error instanceof PopulationNotFound) throw new PopulationNotFound('id');
      throw error;
    }
  }

  /** `PUT /users/{id}/mfaEnabled`: the change a PATCH of `mfaEnabled` makes. */
  setMfaEnabled(environmentId: string, id: string, mfaEnabled: boolean, context: RequestContext): Promise<User> {
    return this.update(environmentId, id, { mfaEnabled }, undefined, context);
  }

  delete(environmentId: string, id: string, context: RequestContext): Promise<void> {
    return this.transactions.run(async () => {
      const user = (await this.users.delete(environmentId, id)) ?? notFound();
      await this.record('USER.DELETED', user, context, 'Deleted user');
    });
  }

  /** Enabling an enabled user (or disabling a disabled one) changes nothing and records nothing. */
  setEnabled(environmentId: string, id: string, enabled: boolean, context: RequestContext): Promise<User> {
    return this.transactions.run(async () => {
      const changed = await this.users.setEnabled(environmentId, id, enabled);
      if (!changed) return this.get(environmentId, id);
      await this.record('USER.UPDATED', changed, context, enabled ? 'Enabled user' : 'Disabled user');
      return changed;
    });
  }

  private async update(
    environmentId: string,
    id: string,
    changes: ProfileChanges,
    populationId: string | undefined,
    context: RequestContext,
  ): Promise<User> {
    // A patch that names no attribute changes nothing and records nothing.
    const nothing = Object.values(changes).every((v) => v === undefined) && populationId === undefined;
    if (nothing) return this.get(environmentId, id);
    return this.transactions.run(async () => {
      if (populationId && !(await this.populations.exists(environmentId, populationId))) throw new PopulationNotFound();
      const user = (await this.users.updateProfile(environmentId, id, changes, populationId)) ?? notFound();
      await this.record('USER.UPDATED', user, context, 'Updated user');
      return user;
    });
  }

  private async populationFor(environmentId: string, requested: string | undefined): Promise<string> {
    if (requested) {
      if (!(await this.populations.exists(environmentId, requested))) throw new PopulationNotFound();
      return requested;
    }
    return (await this.populations.defaultId(environmentId)) ?? Promise.reject(new PopulationNotFound());
  }

  private async record(type: EventType, user: User, context: RequestContext, description: string): Promise<void> {
    await this.events.record({ type, subject: user, context, description });
  }
}

function notFound(): never {
  throw new UserNotFound();
}

function fullProfile(body: UserBodyDto): UserProfile {
  return {
    username: body.username,
    email: body.email ?? null,
    mfaEnabled: body.mfaEnabled ?? false,
    name: {
      given: body.name?.given ?? null,
      family: body.name?.family ?? null,
      middle: body.name?.middle ?? null,
      formatted: body.name?.formatted ?? null,
      honorificPrefix: body.name?.honorificPrefix ?? null,
      honorificSuffix: body.name?.honorificSuffix ?? null,
    },
    nickname: body.nickname ?? null,
    title: body.title ?? null,
    type: body.type ?? null,
    locale: body.locale ?? null,
    preferredLanguage: body.preferredLanguage ?? null,
    timezone: body.timezone ?? null,
    mobilePhone: body.mobilePhone ?? null,
    primaryPhone: body.primaryPhone ?? null,
    externalId: body.externalId ?? null,
    photoHref: body.photo?.href ?? null,
    address: body.address ? { ...body.address } : null,
  };
}

function partialProfile(body: UserPatchDto): ProfileChanges {
  const {
    population: _population,
    photo,
    address,
    name,
    ...rest
  } = body as UserAttributesDto & {
    username?: string;
  };
  // An object given as null clears it, as null clears a text attribute.
  const cleared = { given: null, family: null, middle: null, formatted: null, honorificPrefix: null, honorificSuffix: null };
  return {
    ...rest,
    ...(name === null ? { name: cleared } : name ? { name: { ...name } } : {}),
    ...(photo === null ? { photoHref: null } : photo ? { photoHref: photo.href } : {}),
    ...(address === null ? { address: null } : address ? { address: { ...address } } : {}),
  };
}
