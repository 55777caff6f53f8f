import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IdField } from '../../common/params/ids.js';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { EnvironmentParams } from '../../common/params/path-params.js';

export class RoleRefDto {
  @ApiProperty({ format: 'uuid', description: 'A built-in role (`GET /v1/roles`).' }) @IdField() id!: string;
}

export class ScopeDto {
  @ApiProperty({ format: 'uuid', description: 'The environment, or a population of it.' }) @IdField() id!: string;
  @ApiProperty({ enum: ['ENVIRONMENT', 'POPULATION'] }) @IsIn(['ENVIRONMENT', 'POPULATION']) type!: 'ENVIRONMENT' | 'POPULATION';
}

export class RoleAssignmentBodyDto {
  @ApiProperty({ type: () => RoleRefDto }) @ValidateNested() @IsObject() @Type(() => RoleRefDto) role!: RoleRefDto;
  @ApiProperty({ type: () => ScopeDto }) @ValidateNested() @IsObject() @Type(() => ScopeDto) scope!: ScopeDto;
}

export class ApplicationAssignmentsParams extends EnvironmentParams {
  appId!: string;
}

export class ApplicationAssignmentParams extends ApplicationAssignmentsParams {
  assignmentId!: string;
}

export class UserAssignmentsParams extends EnvironmentParams {
  userId!: string;
}

export class UserAssignmentParams extends UserAssignmentsParams {
  assignmentId!: string;
}

export class RoleParams {
  roleId!: string;
}
