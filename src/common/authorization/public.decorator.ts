import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Opts a route out of the global token check: the token, JWKS and health routes, and the OpenAPI document and its page. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
