import { describe, expect, it } from '@jest/globals';
import type { MfaDevice } from '../../src/mfa/device.js';
import { toCreatedDeviceResource, toDeviceCollection, toDeviceResource, toMfaSettingsResource } from '../../src/mfa/mfa.mapper.js';
import { failuresRemaining } from '../../src/mfa/mfa-settings.js';
import { lockEnd } from '../../src/users/account/lock-state.js';

const BASE = 'https://id.example.com';
const device: MfaDevice = {
  id: 'd0000000-0000-4000-8000-000000000001',
  environmentId: 'e0000000-0000-4000-8000-000000000001',
  userId: 'u0000000-0000-4000-8000-000000000001',
  type: 'TOTP',
  createdAt: new Date('2026-01-02T03:04:05.006Z'),
  updatedAt: new Date('2026-01-02T03:04:05.007Z'),
};
const env = `${BASE}/v1/environments/${device.environmentId}`;

describe('MFA resources', () => {
  it('a device in PingOne shape, with absolute links and no secret', () => {
    expect(toDeviceResource(device, BASE)).toEqual({
      _links: {
        self: { href: `${env}/users/${device.userId}/devices/${device.id}` },
        environment: { href: env },
        user: { href: `${env}/users/${device.userId}` },
      },
      id: device.id,
      type: 'TOTP',
      status: 'ACTIVE',
      user: { id: device.userId },
      environment: { id: device.environmentId },
      createdAt: '2026-01-02T03:04:05.006Z',
      updatedAt: '2026-01-02T03:04:05.007Z',
    });
  });

  it('adds secret and keyUri only to the answer of the creation', () => {
    const created = toCreatedDeviceResource({ device, secret: 'JBSWY3DPEHPK3PXP', keyUri: 'otpauth://totp/x' }, BASE);
    expect(created).toEqual({ ...toDeviceResource(device, BASE), secret: 'JBSWY3DPEHPK3PXP', keyUri: 'otpauth://totp/x' });
    const list = toDeviceCollection(device.environmentId, device.userId, [device], BASE);
    expect(list).toMatchObject({ _links: { self: { href: `${env}/users/${device.userId}/devices` } }, count: 1, size: 1 });
    expect(JSON.stringify(list)).not.toMatch(/secret|keyUri/);
  });

  it('MFA settings: updatedAt only once saved', () => {
    const defaults = toMfaSettingsResource(
      { environmentId: device.environmentId, lockout: { failureCount: 5, durationSeconds: 600 }, updatedAt: null },
      BASE,
    );
    expect(defaults).toEqual({
      _links: { self: { href: `${env}/mfaSettings` }, environment: { href: env } },
      environment: { id: device.environmentId },
      lockout: { failureCount: 5, durationSeconds: 600 },
    });
    const saved = toMfaSettingsResource(
      { environmentId: device.environmentId, lockout: { failureCount: 3, durationSeconds: 60 }, updatedAt: device.updatedAt },
      BASE,
    );
    expect(saved).toMatchObject({ lockout: { failureCount: 3, durationSeconds: 60 }, updatedAt: '2026-01-02T03:04:05.007Z' });
  });
});

describe('MFA lockout arithmetic', () => {
  const lockout = { failureCount: 3, durationSeconds: 90 };

  it('the lock ends durationSeconds after it starts', () => {
    expect(lockEnd(new Date('2026-01-01T00:00:00Z'), lockout)).toEqual(new Date('2026-01-01T00:01:30Z'));
  });

  it('counts the failures left, never below zero', () => {
    expect([0, 1, 2, 3, 4].map((n) => failuresRemaining(n, lockout))).toEqual([3, 2, 1, 0, 0]);
  });
});
