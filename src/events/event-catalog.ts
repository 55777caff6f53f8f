/** Every event the service records, with PingOne's action description. */
export const EVENT_CATALOG = {
  'USER.CREATED': 'User Created',
  'USER.UPDATED': 'User Updated',
  'USER.DELETED': 'User Deleted',
  'USER.LOCKED': 'User Locked',
  'USER.UNLOCKED': 'User Unlocked',
  'PASSWORD.SET': 'Password Set',
  'PASSWORD.RESET': 'Password Reset',
  'PASSWORD.CHECK_SUCCEEDED': 'Password Check Succeeded',
  'PASSWORD.CHECK_FAILED': 'Password Check Failed',
  'PASSWORD.UNLOCKED': 'Password Unlocked',
  'OTP.CHECK_SUCCESS': 'OTP Check Succeeded',
  'OTP.CHECK_FAILED': 'OTP Check Failed',
  'DEVICE.CREATED': 'Device Created',
  'DEVICE.DELETED': 'Device Deleted',
  'MFA_SETTINGS.UPDATED': 'MFA Settings Updated',
  'PASSWORD_POLICY.CREATED': 'Password Policy Created',
  'PASSWORD_POLICY.UPDATED': 'Password Policy Updated',
  'PASSWORD_POLICY.DELETED': 'Password Policy Deleted',
  'ENVIRONMENT.UPDATED': 'Environment Updated',
  'POPULATION.CREATED': 'Population Created',
  'POPULATION.UPDATED': 'Population Updated',
  'APPLICATION.CREATED': 'Application Created',
  'APPLICATION.UPDATED': 'Application Updated',
  'APPLICATION.DELETED': 'Application Deleted',
  'ROLE_ASSIGNMENT.CREATED': 'Role Assignment Created',
  'ROLE_ASSIGNMENT.DELETED': 'Role Assignment Deleted',
  'SUBSCRIPTION.CREATED': 'Subscription Created',
  'SUBSCRIPTION.UPDATED': 'Subscription Updated',
  'SUBSCRIPTION.DELETED': 'Subscription Deleted',
  'GROUP.CREATED': 'Group Created',
  'GROUP.UPDATED': 'Group Updated',
  'GROUP.DELETED': 'Group Deleted',
  // A user added to or removed from a group (the user first among the resources, the group second).
  'GROUP_MEMBERSHIP.CREATED': 'Group Membership Created',
  'GROUP_MEMBERSHIP.DELETED': 'Group Membership Deleted',
  // A group nested in or taken out of another (the nested group first, the parent second).
  'GROUP_NESTING.CREATED': 'Group Nesting Created',
  'GROUP_NESTING.DELETED': 'Group Nesting Deleted',
} as const satisfies Record<string, string>;

export type EventType = keyof typeof EVENT_CATALOG;

/** PingOne's activity shape, as stored in the outbox and delivered to subscribers. */
export interface Activity {
  id: string;
  recordedAt: string;
  createdAt: string;
  correlationId: string;
  action: { type: EventType; description: string };
  /** PingOne's actor: the client that made the request (absent when the service itself acted, e.g. an expiry). */
  actors: { client?: { id: string; name: string; environment: { id: string }; href?: string; type: 'CLIENT' } };
  resources: Array<{
    id: string;
    name: string;
    type: 'USER' | ResourceSubject['type'];
    href: string;
    environment: { id: string };
    /** A user's population, or the population a group is bound to. */
    population?: { id: string };
  }>;
  result: { status: 'SUCCESS' | 'FAILED'; description: string };
}

/** What an event about something other than a user is about. */
export interface ResourceSubject {
  type: 'APPLICATION' | 'ROLE_ASSIGNMENT' | 'SUBSCRIPTION' | 'ENVIRONMENT' | 'POPULATION' | 'PASSWORD_POLICY' | 'MFA_SETTINGS' | 'GROUP';
  id: string;
  name: string;
  environmentId: string;
  /** A group bound to a population: its events are then visible to that population's scoped readers. */
  populationId?: string;
  /** Below `/v1/environments/{envID}/`, e.g. `applications/{id}`; empty for the environment itself. */
  path: string;
}

/** The user an event is about. */
export interface EventSubject {
  id: string;
  username: string;
  environmentId: string;
  populationId: string;
}
