import { ALL_PERMISSIONS, type Permission, Permissions as P } from './permissions.js';

export type ScopeType = 'ENVIRONMENT' | 'POPULATION';

export interface Role {
  id: string;
  name: string;
  description: string;
  /** The scopes the role can be assigned over. */
  applicableTo: readonly ScopeType[];
  permissions: ReadonlySet<Permission>;
}

const READ_ONLY: Permission[] = [
  P.READ_USER,
  P.READ_USER_PASSWORD,
  P.READ_DEVICE,
  P.READ_USER_ROLE_ASSIGNMENT,
  P.READ_ENVIRONMENT,
  P.READ_POPULATION,
  P.READ_GROUP,
  P.READ_GROUP_MEMBERSHIP,
  P.READ_PASSWORD_POLICY,
  P.READ_MFA_SETTINGS,
  P.READ_ROLE,
  P.READ_ACTIVITY,
];

const IDENTITY_DATA_ADMIN: Permission[] = [
  ...READ_ONLY,
  P.CREATE_USER,
  P.UPDATE_USER,
  P.DELETE_USER,
  P.IMPORT_USER,
  P.LOCK_USER,
  P.UNLOCK_USER,
  P.UPDATE_USER_PASSWORD,
  P.CHECK_USER_PASSWORD,
  P.CREATE_DEVICE,
  P.DELETE_DEVICE,
  P.CHECK_DEVICE,
  P.CREATE_USER_ROLE_ASSIGNMENT,
  P.DELETE_USER_ROLE_ASSIGNMENT,
  P.CREATE_GROUP,
  P.UPDATE_GROUP,
  P.DELETE_GROUP,
  P.CREATE_GROUP_MEMBERSHIP,
  P.DELETE_GROUP_MEMBERSHIP,
];

function role(id: string, name: string, description: string, applicableTo: ScopeType[], permissions: readonly Permission[]): Role {
  return { id, name, description, applicableTo, permissions: new Set(permissions) };
}

/** The built-in roles. Their ids are fixed, so assignments and scripts can name them. */
export const ROLES: readonly Role[] = [
  role(
    'a3c1e5a0-6f4b-4c3e-9d1a-0e6f1b2c3d01',
    'Environment Admin',
    'Manages everything in an environment: applications, their secrets, role assignments, policies and identity data.',
    ['ENVIRONMENT'],
    ALL_PERMISSIONS,
  ),
  role(
    'a3c1e5a0-6f4b-4c3e-9d1a-0e6f1b2c3d02',
    'Identity Data Admin',
    'Manages users, their passwords, devices, locks and groups, and assigns identity data roles to users.',
    ['ENVIRONMENT', 'POPULATION'],
    IDENTITY_DATA_ADMIN,
  ),
  role(
    'a3c1e5a0-6f4b-4c3e-9d1a-0e6f1b2c3d03',
    'Identity Data Read Only',
    'Reads users, their password state, devices, role assignments and groups.',
    ['ENVIRONMENT', 'POPULATION'],
    READ_ONLY,
  ),
];

export const ENVIRONMENT_ADMIN = ROLES[0];

export function roleById(id: string): Role | undefined {
  return ROLES.find((r) => r.id === id);
}

export function roleByName(name: string): Role | undefined {
  return ROLES.find((r) => r.name === name);
}
