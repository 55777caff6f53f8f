import { Module } from '@nestjs/common';

/** Password policies, the password endpoints and the password lockout. */
@Module({})
export class PasswordsModule {}
