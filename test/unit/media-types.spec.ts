import { describe, expect, it } from '@jest/globals';
import { isJsonMediaType, mediaTypeEssence } from '../../src/common/http/media-types.js';

describe('mediaTypeEssence', () => {
  it.each([
    ['application/vnd.pingidentity.account.unlock+json', 'application/vnd.pingidentity.account.unlock+json'],
    ['APPLICATION/VND.PINGIDENTITY.ACCOUNT.UNLOCK+JSON', 'application/vnd.pingidentity.account.unlock+json'],
    ['application/json; charset=utf-8', 'application/json'],
    ['  Application/Json ;charset=UTF-8 ; q=1', 'application/json'],
  ])('%s → %s', (header, essence) => {
    expect(mediaTypeEssence(header)).toBe(essence);
  });

  it('is undefined for a missing or blank header', () => {
    expect(mediaTypeEssence(undefined)).toBeUndefined();
    expect(mediaTypeEssence('')).toBeUndefined();
    expect(mediaTypeEssence(' ; charset=utf-8')).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(mediaTypeEssence(['text/plain', 'application/json'])).toBe('text/plain');
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['application/vnd.pingidentity.account.lock+json', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['text/x+json', false],
    [undefined, false],
  ])('%s → %s', (essence, expected) => {
    expect(isJsonMediaType(essence)).toBe(expected);
  });
});
