import type { ErrorDetail } from '../common/errors/domain-error.js';

/** A password policy as the service applies it (PingOne's attributes). */
export interface PasswordPolicy {
  id: string | null;
  environmentId: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  lockout: { failureCount: number; durationSeconds: number };
  length: { min: number; max: number };
  /** Character set → how many characters of it a password needs. */
  minCharacters: Record<string, number> | null;
  history: { count: number; retentionDays: number | null } | null;
  maxRepeatedCharacters: number | null;
  excludesCommonlyUsed: boolean;
  excludesProfileData: boolean;
  maxAgeDays: number | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** PingOne's "Standard" policy, used when an environment has none stored. */
export function standardPolicy(environmentId: string): PasswordPolicy {
  return {
    id: null,
    environmentId,
    name: 'Standard',
    description: 'A standard policy that incorporates industry best practices',
    isDefault: true,
    lockout: { failureCount: 5, durationSeconds: 900 },
    length: { min: 8, max: 255 },
    minCharacters: {
      '~!@#$%^&*()-_=+[]{}|;:,.<>/?': 1,
      '0123456789': 1,
      ABCDEFGHIJKLMNOPQRSTUVWXYZ: 1,
      abcdefghijklmnopqrstuvwxyz: 1,
    },
    history: { count: 6, retentionDays: 365 },
    maxRepeatedCharacters: 2,
    excludesCommonlyUsed: true,
    excludesProfileData: true,
    maxAgeDays: null,
    createdAt: null,
    updatedAt: null,
  };
}

/** What the profile rule compares against: attributes a guesser would try first. */
export interface ProfileData {
  username: string;
  email: string | null;
  given?: string | null;
  family?: string | null;
}

const PROFILE_MIN_LENGTH = 3;

/**
 * The rules of `policy` that `password` breaks, one detail each, in a fixed order. History is
 * checked separately (it needs the stored hashes). `isCommon` answers from the shipped list.
 */
export function policyViolations(
  password: string,
  policy: PasswordPolicy,
  profile: ProfileData,
  isCommon: (password: string) => boolean,
  target = 'password',
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const broken = (rule: string, message: string, innerError: Record<string, unknown> = {}) =>
    details.push({ code: 'INVALID_VALUE', target, message, innerError: { rule, ...innerError } });

  const length = [...password].length;
  if (length < policy.length.min || length > policy.length.max) {
    broken('length', `The password must be between ${policy.length.min} and ${policy.length.max} characters.`, {
      rangeMinimumValue: policy.length.min,
      rangeMaximumValue: policy.length.max,
    });
  }
  for (const [characters, count] of Object.entries(policy.minCharacters ?? {})) {
    const present = [...password].filter((c) => characters.includes(c)).length;
    if (present < count) {
      broken('minCharacters', `The password must contain at least ${count} of the characters ${characters}.`, { characters, count });
    }
  }
  if (policy.maxRepeatedCharacters !== null && longestRun(password) > policy.maxRepeatedCharacters) {
    broken('maxRepeatedCharacters', `The password must not repeat a character more than ${policy.maxRepeatedCharacters} times in a row.`, {
      maxRepeatedCharacters: policy.maxRepeatedCharacters,
    });
  }
  if (policy.excludesCommonlyUsed && isCommon(password)) {
    broken('excludesCommonlyUsed', 'The password is too commonly used.');
  }
  if (policy.excludesProfileData && containsProfileData(password, profile)) {
    broken('excludesProfileData', 'The password must not contain the username, email address or name.');
  }
  return details;
}

function longestRun(password: string): number {
  let longest = 0;
  let run = 0;
  let previous: string | undefined;
  for (const c of password) {
    run = c === previous ? run + 1 : 1;
    previous = c;
    longest = Math.max(longest, run);
  }
  return longest;
}

function containsProfileData(password: string, profile: ProfileData): boolean {
  const lower = password.toLowerCase();
  const values = [profile.username, profile.email, profile.email?.split('@')[0], profile.given, profile.family];
  return values.some((v) => v !== null && v !== undefined && v.length >= PROFILE_MIN_LENGTH && lower.includes(v.toLowerCase()));
}
