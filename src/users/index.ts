// What other features may use of users and their account state (checked by `npm run lint`).
export { UsersModule } from './users.module.js';
export { UsersService } from './users.service.js';
export { UserPresenter } from './user.presenter.js';
export { userHref } from './user.mapper.js';
export { UserBodyDto } from './dto/user-body.dto.js';
export type { ImportedState, LockReason, LockState, PasswordState, User } from './user.js';
export { toUser } from './users.repository.js';
export { UserNotFound } from './users.errors.js';
export { AccountService, type Cause, type Lockout, type SweepResult, automaticUnlockDescription } from './account/account.service.js';
export type { MfaFailure, PasswordFailure } from './account/account.repository.js';
export { canAuthenticate, isLocked, isPasswordLocked, refusesChecks, secondsUntilUnlock } from './account/lock-state.js';
export { accountNotLocked } from './account/lock.query.js';
export { UserResponse } from './dto/user.response.js';
