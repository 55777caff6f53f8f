import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'isPublic';

/** Opts a route out of the global token check. Only the token, JWKS and health routes use it. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
