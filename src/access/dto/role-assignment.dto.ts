import { Type } from 'class-transformer';
import { IsIn, IsObject, IsUUID, ValidateNested } from 'class-validator';
import { EnvironmentParams } from '../../users/dto/requests.dto.js';

export class RoleRefDto {
  @IsUUID() id!: string;
}

export class ScopeDto {
  @IsUUID() id!: string;
  @IsIn(['ENVIRONMENT', 'POPULATION']) type!: 'ENVIRONMENT' | 'POPULATION';
}

export class RoleAssignmentBodyDto {
  @ValidateNested() @IsObject() @Type(() => RoleRefDto) role!: RoleRefDto;
  @ValidateNested() @IsObject() @Type(() => ScopeDto) scope!: ScopeDto;
}

export class ApplicationAssignmentsParams extends EnvironmentParams {
  @IsUUID() appId!: string;
}

export class ApplicationAssignmentParams extends ApplicationAssignmentsParams {
  @IsUUID() assignmentId!: string;
}

export class UserAssignmentsParams extends EnvironmentParams {
  @IsUUID() userId!: string;
}

export class UserAssignmentParams extends UserAssignmentsParams {
  @IsUUID() assignmentId!: string;
}

export class RoleParams {
  @IsUUID() roleId!: string;
}
