import { Module } from '@nestjs/common';

/** MFA settings, TOTP devices and the MFA lockout. */
@Module({})
export class MfaModule {}
