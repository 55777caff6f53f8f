import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IdRefDto } from '../../common/params/id-ref.dto.js';
import { EnvironmentParams } from '../../common/params/path-params.js';

export class PopulationBodyDto {
  @ApiProperty({ minLength: 1, maxLength: 256 }) @IsString() @Length(1, 256) name!: string;
  /** The population's own password policy; absent means the environment's default. */
  @ApiPropertyOptional({
    type: () => IdRefDto,
    nullable: true,
    description: "The population's own password policy; absent: the environment's default.",
  })
  @IsOptional()
  @ValidateNested()
  @IsObject()
  @Type(() => IdRefDto)
  passwordPolicy?: IdRefDto;
}

export class PopulationParams extends EnvironmentParams {
  populationId!: string;
}
