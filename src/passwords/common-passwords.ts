import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The commonly used passwords refused by `excludesCommonlyUsed`: the ~49,000-entry list that the
 * zxcvbn-ts project maintains from leaked-password corpora, compared case-insensitively.
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}

export const COMMON_PASSWORD_COUNT = COMMON.size;
