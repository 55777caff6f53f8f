import { Module } from '@nestjs/common';

/** The expiry of timed locks: the sweeper that persists it and records USER.UNLOCKED. */
@Module({})
export class LockoutModule {}
