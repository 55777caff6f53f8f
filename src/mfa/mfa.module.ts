import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { LockoutModule } from '../lockout/lockout.module.js';
import { MfaDevicesController } from './mfa-devices.controller.js';
import { MfaDevicesRepository } from './mfa-devices.repository.js';
import { MfaDevicesService } from './mfa-devices.service.js';
import { MfaLockoutRepository } from './mfa-lockout.repository.js';
import { MfaPresenter } from './mfa.presenter.js';
import { MfaSettingsController } from './mfa-settings.controller.js';
import { MfaSettingsRepository } from './mfa-settings.repository.js';
import { MfaSettingsService } from './mfa-settings.service.js';
import { OtpCheckService } from './otp-check.service.js';

/** MFA settings, TOTP devices and the MFA lockout. */
@Module({
  imports: [EventsModule, LockoutModule],
  controllers: [MfaSettingsController, MfaDevicesController],
  providers: [
    MfaSettingsRepository,
    MfaSettingsService,
    MfaDevicesRepository,
    MfaDevicesService,
    MfaLockoutRepository,
    OtpCheckService,
    MfaPresenter,
  ],
})
export class MfaModule {}
