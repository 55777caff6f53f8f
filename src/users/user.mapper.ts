import type { HalLink } from '../common/openapi/hal.js';
import type { UserLinks, UserName, UserResponse } from './dto/user.response.js';
import { canAuthenticate, effectiveLock, secondsUntilUnlock } from './account/lock-state.js';
import type { PersonName, User } from './user.js';

/** The 13 relations PingOne links from a user. */
export const USER_LINK_RELS = [
  'self',
  'environment',
  'population',
  'devices',
  'roleAssignments',
  'password',
  'password.reset',
  'password.set',
  'password.check',
  'password.recover',
  'linkedAccounts',
  'account.sendVerificationCode',
  'memberOfGroups',
] as const;

export function userHref(baseUrl: string, environmentId: string, userId: string): string {
  return `${baseUrl}/v1/environments/${environmentId}/users/${userId}`;
}

/** PingOne's HAL representation of a user at `now`. Absent attributes are left out, not nulled. */
export function toUserResource(user: User, baseUrl: string, now: Date): UserResponse {
  const self = userHref(baseUrl, user.environmentId, user.id);
  const environment = `${baseUrl}/v1/environments/${user.environmentId}`;
  const password = `${self}/password`;
  const links: UserLinks & Record<(typeof USER_LINK_RELS)[number], HalLink> = {
    self: { href: self },
    environment: { href: environment },
    population: { href: `${environment}/populations/${user.populationId}` },
    devices: { href: `${self}/devices` },
    roleAssignments: { href: `${self}/roleAssignments` },
    password: { href: password },
    'password.reset': { href: password },
    'password.set': { href: password },
    'password.check': { href: password },
    'password.recover': { href: password },
    linkedAccounts: { href: `${self}/linkedAccounts` },
    'account.sendVerificationCode': { href: self },
    memberOfGroups: { href: `${self}/memberOfGroups` },
  };
  const lock = effectiveLock(user.lock, now);
  const p = user.profile;
  return compact({
    _links: links,
    id: user.id,
    environment: { id: user.environmentId },
    population: { id: user.populationId },
    account: compact({
      canAuthenticate: canAuthenticate(user, now),
      status: lock.status,
      lockedAt: lock.lockedAt?.toISOString(),
      unlockAt: lock.unlockAt?.toISOString(),
      secondsUntilUnlock: secondsUntilUnlock(user.lock, now),
    }),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    username: user.username,
    email: p.email,
    emailVerified: user.emailVerified,
    enabled: user.enabled,
    mfaEnabled: user.mfaEnabled,
    identityProvider: compact({ type: user.identityProviderType, id: user.identityProviderId }),
    lifecycle: { status: user.lifecycleStatus },
    verifyStatus: user.verifyStatus,
    name: nameOf(p.name),
    nickname: p.nickname,
    title: p.title,
    type: p.type,
    locale: p.locale,
    preferredLanguage: p.preferredLanguage,
    timezone: p.timezone,
    mobilePhone: p.mobilePhone,
    primaryPhone: p.primaryPhone,
    externalId: p.externalId,
    photo: p.photoHref ? { href: p.photoHref } : undefined,
    address: p.address ?? undefined,
  });
}

function nameOf(name: PersonName): UserName | undefined {
  const present = compact({ ...name });
  return Object.keys(present).length > 0 ? present : undefined;
}

/** `T` without its null and undefined values: those attributes become optional. */
type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : null extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : null extends T[K] ? K : never]?: Exclude<T[K], null | undefined>;
};

function compact<T extends object>(object: T): Compact<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined)) as Compact<T>;
}
