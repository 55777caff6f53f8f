import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IdField } from '../../common/params/ids.js';

/** `PUT /users/{id}/population`: PingOne's body is the population reference itself. */
export class UserPopulationBodyDto {
  @ApiProperty({ format: 'uuid', description: 'The population to move the user to.' }) @IdField() id!: string;
}

/** `PUT /users/{id}/mfaEnabled`. */
export class MfaEnabledBodyDto {
  @ApiProperty() @IsBoolean() mfaEnabled!: boolean;
}
