import { describe, expect, it } from '@jest/globals';
import { trustedIssuersSchema } from '../../src/config/trusted-issuers.js';

const ENV_ID = '0f8a7c52-3b1e-4d6a-9c2f-5e7b8a9d0c11';
const POPULATION_ID = '5b2c3d4e-6f70-4a81-9b92-a3b4c5d6e7f8';

const rolesIssuer = (overrides: Record<string, unknown> = {}) => ({
  issuer: 'https://idp.example.com/realms/ops',
  jwksUri: 'https://idp.example.com/realms/ops/protocol/openid-connect/certs',
  audience: 'identity-user-service',
  environmentId: ENV_ID,
  roles: {
    claim: 'groups',
    map: {
      'idm-admins': [{ role: 'Environment Admin' }],
      'support-eu': [{ role: 'Identity Data Read Only', scope: { type: 'POPULATION', id: POPULATION_ID } }],
    },
  },
  ...overrides,
});

const appIssuer = (overrides: Record<string, unknown> = {}) => {
  const { roles: _roles, ...rest } = rolesIssuer({ applicationClaim: 'azp', ...overrides });
  return rest;
};

/** The paths of every problem, so a test shows which field was refused. */
const problems = (input: unknown): string[] => {
  const result = trustedIssuersSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('trustedIssuersSchema', () => {
  it('accepts an issuer mapping roles, and fills in the default algorithms and name claim', () => {
    const [issuer] = trustedIssuersSchema.parse([rolesIssuer()]);
    expect(issuer).toEqual({ ...rolesIssuer(), algorithms: ['RS256', 'ES256'], nameClaim: 'sub' });
  });

  it('accepts an issuer naming applications, with an audience list, lower-casing the environment id', () => {
    const [issuer] = trustedIssuersSchema.parse([
      appIssuer({ audience: ['a', 'b'], environmentId: ENV_ID.toUpperCase(), algorithms: ['PS256', 'EdDSA'], nameClaim: 'client_name' }),
    ]);
    expect(issuer).toMatchObject({
      applicationClaim: 'azp',
      audience: ['a', 'b'],
      environmentId: ENV_ID,
      algorithms: ['PS256', 'EdDSA'],
      nameClaim: 'client_name',
    });
    expect(issuer).not.toHaveProperty('roles');
  });

  it('accepts a user issuer, naming users by username unless told otherwise', () => {
    const { roles: _roles, ...base } = rolesIssuer();
    expect(trustedIssuersSchema.parse([{ ...base, userClaim: { claim: 'preferred_username' } }])[0]?.userClaim).toEqual({
      claim: 'preferred_username',
      attribute: 'username',
    });
    expect(trustedIssuersSchema.parse([{ ...base, userClaim: { claim: 'oid', attribute: 'externalId' } }])[0]?.userClaim).toEqual({
      claim: 'oid',
      attribute: 'externalId',
    });
    expect(trustedIssuersSchema.safeParse([{ ...base, userClaim: { claim: 'oid', attribute: 'email' } }]).success).toBe(false);
  });

  it('accepts no issuers at all', () => {
    expect(trustedIssuersSchema.parse([])).toEqual([]);
  });

  it('refuses an issuer with two of applicationClaim, userClaim and roles, and one with none', () => {
    const { roles: _roles, ...neither } = rolesIssuer();
    for (const issuer of [
      rolesIssuer({ applicationClaim: 'azp' }),
      rolesIssuer({ userClaim: { claim: 'email' } }),
      { ...neither, applicationClaim: 'azp', userClaim: { claim: 'email' } },
      neither,
    ]) {
      const result = trustedIssuersSchema.safeParse([issuer]);
      expect(result.error?.issues).toEqual([
        expect.objectContaining({ path: [0], message: 'set exactly one of applicationClaim, userClaim and roles' }),
      ]);
    }
  });

  it('refuses a role name that is not a built-in role, naming where it is', () => {
    const result = trustedIssuersSchema.safeParse([
      rolesIssuer({ roles: { claim: 'groups', map: { ops: [{ role: 'Environment Admin' }, { role: 'Superuser' }] } } }),
    ]);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: [0, 'roles', 'map', 'ops', 1, 'role'], message: expect.stringContaining('Superuser') }),
    ]);
  });

  it('refuses a role over a scope it cannot have, and an ENVIRONMENT scope of another environment', () => {
    expect(
      problems([
        rolesIssuer({
          roles: { claim: 'g', map: { a: [{ role: 'Environment Admin', scope: { type: 'POPULATION', id: POPULATION_ID } }] } },
        }),
      ]),
    ).toEqual(['0.roles.map.a.0.scope']);
    expect(
      problems([
        rolesIssuer({
          roles: { claim: 'g', map: { a: [{ role: 'Identity Data Admin', scope: { type: 'ENVIRONMENT', id: POPULATION_ID } }] } },
        }),
      ]),
    ).toEqual(['0.roles.map.a.0.scope.id']);
  });

  it('refuses a jwksUri that is not an http(s) URL', () => {
    expect(problems([rolesIssuer({ jwksUri: 'not a url' })])).toEqual(['0.jwksUri']);
    expect(problems([rolesIssuer({ jwksUri: 'file:///etc/jwks.json' })])).toEqual(['0.jwksUri']);
  });

  it('refuses symmetric and unknown algorithms', () => {
    expect(problems([rolesIssuer({ algorithms: ['RS256', 'HS256'] })])).toEqual(['0.algorithms.1']);
    expect(problems([rolesIssuer({ algorithms: ['none'] })])).toEqual(['0.algorithms.0']);
    expect(problems([rolesIssuer({ algorithms: [] })])).toEqual(['0.algorithms']);
  });

  it('refuses an environmentId that is not a UUID', () => {
    expect(problems([rolesIssuer({ environmentId: 'production' })])).toEqual(['0.environmentId']);
  });

  it('refuses unknown fields, so a misspelt option is not silently ignored', () => {
    expect(problems([rolesIssuer({ audiences: 'x' })])).toEqual(['0']);
  });

  it('refuses the same issuer twice, since tokens are routed by their iss alone', () => {
    expect(problems([rolesIssuer(), appIssuer()])).toEqual(['1.issuer']);
  });
});
