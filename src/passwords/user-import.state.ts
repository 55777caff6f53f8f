import { type ErrorDetail, ValidationFailed } from '../common/errors/domain-error.js';
import type { ImportedState, User } from '../users/index.js';
import { IDENTITY_PROVIDER_TYPES, type UserImportDto } from './dto/user-import.dto.js';

export interface ImportPlan {
  state: ImportedState;
  /** Lock the account once created (an administrator's lock, with no end): USER.LOCKED. */
  lock: boolean;
}

/**
 * What an import sets beyond the profile, checked for agreement as a whole. `account.canAuthenticate`
 * is derived everywhere else (false while locked or disabled), so an imported value must agree with
 * `account.status` and `enabled`; `false` alone locks the account. Every disagreement is one detail.
 */
export function importPlan(body: UserImportDto): ImportPlan {
  const details: ErrorDetail[] = [];
  const { account, identityProvider } = body;
  const disabled = body.enabled === false;
  const locked = account?.status === 'LOCKED';
  if (account?.canAuthenticate === true && (locked || disabled)) {
    details.push({
      code: 'INVALID_VALUE',
      target: 'account.canAuthenticate',
      message: `account.canAuthenticate cannot be true for a user that is ${locked ? 'locked' : 'disabled'}.`,
    });
  }
  if (account?.canAuthenticate === false && account.status === 'OK' && !disabled) {
    details.push({
      code: 'INVALID_VALUE',
      target: 'account.canAuthenticate',
      message: 'account.canAuthenticate cannot be false for an enabled user whose account.status is OK.',
    });
  }
  const externalType = identityProvider?.type !== undefined && identityProvider.type !== 'PING_ONE';
  if (externalType && identityProvider?.id === undefined) {
    details.push({
      code: 'REQUIRED_VALUE',
      target: 'identityProvider.id',
      message: 'identityProvider.id is required for an external identity provider.',
    });
  }
  if (!externalType && identityProvider?.id !== undefined) {
    details.push({
      code: 'INVALID_VALUE',
      target: 'identityProvider.type',
      message: 'identityProvider.type must name the external identity provider that identityProvider.id refers to.',
      innerError: { allowedValues: IDENTITY_PROVIDER_TYPES.filter((type) => type !== 'PING_ONE') },
    });
  }
  if (details.length > 0) throw new ValidationFailed(details);
  return {
    state: {
      emailVerified: body.emailVerified,
      enabled: body.enabled,
      lifecycleStatus: body.lifecycle?.status as User['lifecycleStatus'] | undefined,
      verifyStatus: body.verifyStatus as User['verifyStatus'] | undefined,
      identityProviderType: identityProvider?.type,
      identityProviderId: identityProvider?.id,
    },
    lock: locked || (account?.canAuthenticate === false && !disabled),
  };
}
