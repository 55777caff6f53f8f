/** The media types this service routes on (PingOne's names). */
export const MediaTypes = {
  JSON: 'application/json',
  FORM: 'application/x-www-form-urlencoded',
  ACCOUNT_UNLOCK: 'application/vnd.pingidentity.account.unlock+json',
  ACCOUNT_LOCK: 'application/vnd.pingidentity.account.lock+json',
  USER_IMPORT: 'application/vnd.pingidentity.user.import+json',
  // Actions PingOne offers that this service answers as unavailable (docs/api.md).
  USER_SEND_VERIFICATION_CODE: 'application/vnd.pingidentity.user.sendVerificationCode+json',
  USER_VERIFY: 'application/vnd.pingidentity.user.verify+json',
  PASSWORD_SEND_RECOVERY_CODE: 'application/vnd.pingidentity.password.sendRecoveryCode+json',
  PASSWORD_RECOVER: 'application/vnd.pingidentity.password.recover+json',
  PASSWORD_SET: 'application/vnd.pingidentity.password.set+json',
  PASSWORD_RESET: 'application/vnd.pingidentity.password.reset+json',
  PASSWORD_CHECK: 'application/vnd.pingidentity.password.check+json',
  PASSWORD_UNLOCK: 'application/vnd.pingidentity.password.unlock+json',
  // PingOne's name has no +json suffix; the body is empty.
  PASSWORD_FORCE_CHANGE: 'application/vnd.pingidentity.password.forceChange',
  OTP_CHECK: 'application/vnd.pingidentity.otp.check+json',
} as const;

export type MediaType = (typeof MediaTypes)[keyof typeof MediaTypes];

/**
 * The essence of a Content-Type header: lower-cased type/subtype without parameters, so that
 * `Application/JSON; charset=utf-8` is `application/json`. Undefined when there is none.
 */
export function mediaTypeEssence(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const essence = value?.split(';', 1)[0]?.trim().toLowerCase();
  return essence ? essence : undefined;
}

/** `application/json` and every `application/<anything>+json` carry a JSON body. */
export function isJsonMediaType(essence: string | undefined): boolean {
  return essence === MediaTypes.JSON || (essence?.startsWith('application/') === true && essence.endsWith('+json'));
}
