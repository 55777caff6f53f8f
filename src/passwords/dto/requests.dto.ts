import { EnvironmentParams } from '../../common/params/path-params.js';

export class PolicyParams extends EnvironmentParams {
  policyId!: string;
}
