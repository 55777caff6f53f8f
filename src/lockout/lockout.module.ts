import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { LockExpiryRepository } from './lock-expiry.repository.js';
import { LockExpiryService } from './lock-expiry.service.js';
import { LockExpirySweeper } from './lock-expiry.sweeper.js';

/** The expiry of timed locks: the sweeper that persists it and records USER.UNLOCKED. */
@Module({
  imports: [EventsModule],
  providers: [LockExpiryRepository, LockExpiryService, LockExpirySweeper],
  exports: [LockExpirySweeper, LockExpiryService],
})
export class LockoutModule {}
