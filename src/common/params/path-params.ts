/**
 * The path parameters most routes share. Their ids arrive already parsed (lower-case UUIDs, see
 * `registerPathIdParsing`), so these classes carry no validation of their own.
 */
export class EnvironmentParams {
  envId!: string;
}

export class UserParams extends EnvironmentParams {
  userId!: string;
}
