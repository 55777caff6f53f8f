import { Module } from '@nestjs/common';
import { UsersModule } from '../users/index.js';
import { LockExpirySweeper } from './lock-expiry.sweeper.js';

/** The sweeper that persists the end of expired timed locks, in every instance. */
@Module({
  imports: [UsersModule],
  providers: [LockExpirySweeper],
  exports: [LockExpirySweeper],
})
export class LockoutModule {}
