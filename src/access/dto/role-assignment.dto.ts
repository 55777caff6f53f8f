import { Type } from 'class-transformer';
import { IdField } from '../../common/params/ids.js';
import { IsIn, IsObject, ValidateNested } from 'class-validator';
import { EnvironmentParams } from '../../common/params/path-params.js';

export class RoleRefDto {
  @IdField() id!: string;
}

export class ScopeDto {
  @IdField() id!: string;
  @IsIn(['ENVIRONMENT', 'POPULATION']) type!: 'ENVIRONMENT' | 'POPULATION';
}

export class RoleAssignmentBodyDto {
  @ValidateNested() @IsObject() @Type(() => RoleRefDto) role!: RoleRefDto;
  @ValidateNested() @IsObject() @Type(() => ScopeDto) scope!: ScopeDto;
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
