import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, MaxLength, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { IdRefDto } from '../../common/params/id-ref.dto.js';
import { MAX_CUSTOM_DATA_BYTES } from '../group.js';
import { CursorQuery, FilterQuery, LimitQuery } from '../../common/pagination/page-query.js';

const range = (min: number, max: number) => ({ context: { rangeMinimumValue: min, rangeMaximumValue: max } });
const Clearable = (options: Parameters<typeof ApiPropertyOptional>[0] = {}) => ApiPropertyOptional({ nullable: true, ...options });

/** A JSON object whose text is at most MAX_CUSTOM_DATA_BYTES bytes of UTF-8. */
const BoundedJsonObject = () =>
  ValidateBy(
    {
      name: 'boundedJsonObject',
      validator: {
        validate: (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_CUSTOM_DATA_BYTES,
        defaultMessage: () => `customData must be at most ${MAX_CUSTOM_DATA_BYTES} bytes as JSON`,
      },
    },
    { context: { code: 'SIZE_LIMIT_EXCEEDED', maximumValue: MAX_CUSTOM_DATA_BYTES } },
  );

/** The attributes a patch may change; create and replace require `name` (GroupBodyDto). */
export class GroupPatchDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256 })
  @ValidateIf((_o, v) => v !== undefined)
  @IsString()
  @Length(1, 256, range(1, 256))
  name?: string;
  @Clearable({ maxLength: 1024 }) @IsOptional() @IsString() @MaxLength(1024, range(0, 1024)) description?: string | null;
  @Clearable({ maxLength: 1024 }) @IsOptional() @IsString() @MaxLength(1024, range(0, 1024)) externalId?: string | null;
  @Clearable({
    type: 'object',
    additionalProperties: true,
    description: `Any JSON object of at most ${MAX_CUSTOM_DATA_BYTES} bytes; the service does not read it.`,
  })
  @IsOptional()
  @IsObject()
  @BoundedJsonObject()
  customData?: Record<string, unknown> | null;
  /** Set at creation only: a replace or patch may repeat it, never change it (checked by the service). */
  @ApiPropertyOptional({ type: () => IdRefDto, description: 'Set at creation; absent: the group spans the environment.' })
  @ValidateIf((_o, v) => v !== undefined)
  @ValidateNested()
  @IsObject()
  @Type(() => IdRefDto)
  population?: IdRefDto;
}

export class GroupBodyDto extends GroupPatchDto {
  @ApiProperty({ minLength: 1, maxLength: 256 }) @IsString() @Length(1, 256, range(1, 256)) declare name: string;
}

export class GroupListQuery {
  @FilterQuery('A SCIM filter: `name eq|sw`, `id eq`, `population.id eq`, `externalId eq`, `and`, `or`.')
  filter?: string;

  @LimitQuery()
  limit?: number;

  @CursorQuery()
  cursor?: string;
}

export class GroupReadQuery {
  @ApiPropertyOptional({ enum: ['totalMemberCounts'], description: 'totalMemberCounts: also count the users of nested groups.' })
  @IsOptional()
  @IsIn(['totalMemberCounts'])
  include?: 'totalMemberCounts';
}

export class GroupParams {
  envId!: string;
  groupId!: string;
}

export class GroupNestingParams extends GroupParams {
  parentGroupId!: string;
}
