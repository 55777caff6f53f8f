import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HalLink, IdReference, SelfLinks } from '../../common/openapi/hal.js';

export class PasswordPolicyLinks extends SelfLinks {
  @ApiProperty({ type: () => HalLink }) environment!: HalLink;
}

export class PasswordLockout {
  @ApiProperty({ type: 'integer', description: 'Failed checks that lock the password.' }) failureCount!: number;
  @ApiProperty({ type: 'integer', description: 'How long the lock lasts.' }) durationSeconds!: number;
}

export class PasswordLength {
  @ApiProperty({ type: 'integer' }) min!: number;
  @ApiProperty({ type: 'integer' }) max!: number;
}

export class PasswordHistory {
  @ApiProperty({ type: 'integer', description: 'How many previous passwords cannot be reused.' }) count!: number;
  @ApiPropertyOptional({ type: 'integer' }) retentionDays?: number;
}

export class PasswordPolicyResponse {
  @ApiProperty({ type: () => PasswordPolicyLinks }) _links!: PasswordPolicyLinks;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: () => IdReference }) environment!: IdReference;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ description: "Whether this is the environment's default policy." }) default!: boolean;
  @ApiProperty({ type: () => PasswordLockout }) lockout!: PasswordLockout;
  @ApiProperty({ type: () => PasswordLength }) length!: PasswordLength;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Character set → how many characters of it a password needs.',
  })
  minCharacters?: Record<string, number>;
  @ApiPropertyOptional({ type: () => PasswordHistory }) history?: PasswordHistory;
  @ApiPropertyOptional({ type: 'integer' }) maxRepeatedCharacters?: number;
  @ApiProperty() excludesCommonlyUsed!: boolean;
  @ApiProperty() excludesProfileData!: boolean;
  @ApiPropertyOptional({ type: 'integer' }) maxAgeDays?: number;
  @ApiPropertyOptional({ format: 'date-time' }) createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
}

export class EmbeddedPasswordPolicies {
  @ApiProperty({ type: () => [PasswordPolicyResponse] }) passwordPolicies!: PasswordPolicyResponse[];
}

export class PasswordPolicyListResponse {
  @ApiProperty({ type: () => SelfLinks }) _links!: SelfLinks;
  @ApiProperty({ type: () => EmbeddedPasswordPolicies }) _embedded!: EmbeddedPasswordPolicies;
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) size!: number;
}
