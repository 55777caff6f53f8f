import { IsUUID } from 'class-validator';
import { EnvironmentParams } from '../../users/dto/requests.dto.js';

export class PolicyParams extends EnvironmentParams {
  @IsUUID() policyId!: string;
}
