import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { RateLimitsModule } from '../rate-limits/index.js';
import { UsersModule } from '../users/index.js';
import { MfaDevicesController } from './mfa-devices.controller.js';
import { MfaDevicesRepository } from './mfa-devices.repository.js';
import { MfaDevicesService } from './mfa-devices.service.js';
import { MfaPresenter } from './mfa.presenter.js';
import { MfaSettingsController } from './mfa-settings.controller.js';
import { MfaSettingsRepository } from './mfa-settings.repository.js';
import { MfaSettingsService } from './mfa-settings.service.js';
import { OtpCheckService } from './otp-check.service.js';
import { DeviceSecrets } from './device-secrets.js';
import { DeviceSecretsAtStart } from './device-secrets.startup.js';

/** MFA settings, TOTP devices and the MFA lockout. */
@Module({
  imports: [EventsModule, UsersModule, RateLimitsModule],
  controllers: [MfaSettingsController, MfaDevicesController],
  providers: [
    MfaSettingsRepository,
    MfaSettingsService,
    MfaDevicesRepository,
    MfaDevicesService,
    OtpCheckService,
    MfaPresenter,
    DeviceSecrets,
    DeviceSecretsAtStart,
  ],
})
export class MfaModule {}
