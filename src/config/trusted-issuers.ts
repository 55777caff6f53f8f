import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseId } from '../common/params/ids.js';
import { roleByName, ROLES } from '../common/authorization/roles.js';

/** An id, kept in the service's lower-case form. */
const idSchema = z
  .string()
  .transform((value, ctx) => parseId(value) ?? (ctx.addIssue({ code: 'custom', message: 'must be a UUID' }), z.NEVER));

const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const grant = z
  .object({
    /** The name of a built-in role, e.g. `Identity Data Read Only`. */
    role: z.string().min(1),
    /** Absent: the issuer's whole environment. */
    scope: z
      .object({ type: z.enum(['ENVIRONMENT', 'POPULATION']), id: idSchema })
      .strict()
      .optional(),
  })
  .strict();

/**
 * An identity provider whose tokens the service accepts for one environment. Who the caller is
 * comes from a claim naming an application or a user of that environment (whose role assignments
 * apply), or from a claim whose values map to roles.
 */
const trustedIssuer = z
  .object({
    issuer: z.string().min(1),
    jwksUri: z.url({ protocol: /^https?$/ }),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    environmentId: idSchema,
    // Asymmetric only: a shared secret would let anyone holding it mint tokens, and an HMAC
    // allowlist is what makes "sign with the public key" confusion possible.
    algorithms: z.array(z.enum(SIGNING_ALGORITHMS)).min(1).default(['RS256', 'ES256']),
    /** A claim holding the id of an application of the environment, e.g. `client_id` or `azp`. */
    applicationClaim: z.string().min(1).optional(),
    /**
     * A claim naming a user of the environment (by `username`, `id` or `externalId`): that user's
     * role assignments apply while the user is enabled and not locked.
     */
    userClaim: z
      .object({ claim: z.string().min(1), attribute: z.enum(['username', 'id', 'externalId']).default('username') })
      .strict()
      .optional(),
    /** A claim holding role names or group names (an array, or a space-separated string). */
    roles: z
      .object({
        claim: z.string().min(1),
        map: z.record(z.string(), z.array(grant).min(1)),
      })
      .strict()
      .optional(),
    /** The claim shown as the caller's name in events. */
    nameClaim: z.string().min(1).default('sub'),
  })
  .strict()
  .superRefine((issuer, ctx) => {
    const mappings = [issuer.applicationClaim, issuer.userClaim, issuer.roles].filter((m) => m !== undefined);
    if (mappings.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of applicationClaim, userClaim and roles' });
    }
    for (const [value, grants] of Object.entries(issuer.roles?.map ?? {})) {
      grants.forEach((g, index) => {
        const path = ['roles', 'map', value, index];
        const role = roleByName(g.role);
        if (!role) {
          const known = ROLES.map((r) => `"${r.name}"`).join(', ');
          ctx.addIssue({ code: 'custom', path: [...path, 'role'], message: `unknown role "${g.role}"; the roles are ${known}` });
          return;
        }
        const scopeType = g.scope?.type ?? 'ENVIRONMENT';
        if (!role.applicableTo.includes(scopeType)) {
          ctx.addIssue({ code: 'custom', path: [...path, 'scope'], message: `${role.name} cannot be granted over a ${scopeType}` });
        }
        // A grant over another environment would be silently ignored when the token is used.
        if (g.scope?.type === 'ENVIRONMENT' && g.scope.id !== issuer.environmentId) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'scope', 'id'],
            message: "an ENVIRONMENT scope must be the issuer's environmentId",
          });
        }
      });
    }
  });

export type TrustedIssuer = z.infer<typeof trustedIssuer>;

/** Tokens are routed to their issuer by `iss` alone, so one issuer can be trusted only once. */
export const trustedIssuersSchema = z.array(trustedIssuer).superRefine((issuers, ctx) => {
  const seen = new Set<string>();
  issuers.forEach((issuer, index) => {
    if (seen.has(issuer.issuer))
      ctx.addIssue({ code: 'custom', path: [index, 'issuer'], message: `${issuer.issuer} is listed more than once` });
    seen.add(issuer.issuer);
  });
});

/** `TRUSTED_ISSUERS` holds the JSON array itself; `TRUSTED_ISSUERS_FILE` names a file holding it. */
export function readTrustedIssuers(json: string | undefined, file: string | undefined): unknown {
  if (file !== undefined) return JSON.parse(readFileSync(file, 'utf8'));
  if (json !== undefined) return JSON.parse(json);
  return [];
}
