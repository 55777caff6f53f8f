import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { IdRefDto } from '../../users/dto/user-body.dto.js';
import { EnvironmentParams } from '../../users/dto/requests.dto.js';

export class PopulationBodyDto {
  @IsString() @Length(1, 256) name!: string;
  /** The population's own password policy; absent means the environment's default. */
  @IsOptional() @ValidateNested() @IsObject() @Type(() => IdRefDto) passwordPolicy?: IdRefDto;
}

export class PopulationParams extends EnvironmentParams {
  @IsUUID() populationId!: string;
}
