import { readFileSync } from 'node:fs';
import { z } from 'zod';

const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const grant = z.object({
  role: z.string().min(1),
  /** Absent: the issuer's whole environment. */
  scope: z.object({ type: z.enum(['ENVIRONMENT', 'POPULATION']), id: z.uuid() }).optional(),
});

/**
 * An identity provider whose tokens the service accepts for one environment. Who the caller is
 * comes from a claim naming an application of that environment (its role assignments apply), or
 * from a claim whose values map to roles.
 */
const trustedIssuer = z
  .object({
    issuer: z.string().min(1),
    jwksUri: z.url({ protocol: /^https?$/ }),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    environmentId: z.uuid().transform((id) => id.toLowerCase()),
    algorithms: z.array(z.enum(SIGNING_ALGORITHMS)).min(1).default(['RS256', 'ES256']),
    /** A claim holding the id of an application of the environment, e.g. `client_id` or `azp`. */
    applicationClaim: z.string().min(1).optional(),
    /** A claim holding role names or group names (an array, or a space-separated string). */
    roles: z
      .object({
        claim: z.string().min(1),
        map: z.record(z.string(), z.array(grant).min(1)),
      })
      .optional(),
    /** The claim shown as the caller's name in events. */
    nameClaim: z.string().min(1).default('sub'),
  })
  .strict()
  .refine((i) => (i.applicationClaim === undefined) !== (i.roles === undefined), {
    message: 'set exactly one of applicationClaim and roles',
  });

export type TrustedIssuer = z.infer<typeof trustedIssuer>;

export const trustedIssuersSchema = z.array(trustedIssuer);

/** `TRUSTED_ISSUERS` holds the JSON array itself; `TRUSTED_ISSUERS_FILE` names a file holding it. */
export function readTrustedIssuers(json: string | undefined, file: string | undefined): unknown {
  if (file !== undefined) return JSON.parse(readFileSync(file, 'utf8'));
  if (json !== undefined) return JSON.parse(json);
  return [];
}
