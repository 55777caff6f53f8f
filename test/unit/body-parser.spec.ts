import { describe, expect, it } from '@jest/globals';
import { findNul, MAX_BODY_DEPTH, nestingDepth } from '../../src/common/http/body-parser.js';

describe('body limits', () => {
  it('measures the nesting of JSON text without parsing it, ignoring brackets inside strings', () => {
    expect(nestingDepth('{}')).toBe(1);
    expect(nestingDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(nestingDepth('{"a":"[[[{{{\\"[[["}')).toBe(1);
    expect(nestingDepth('"x"')).toBe(0);
    expect(nestingDepth('['.repeat(100_000))).toBe(100_000);
    expect(MAX_BODY_DEPTH).toBe(32);
  });

  it('names the attribute whose text holds NUL', () => {
    expect(findNul({ name: { given: 'a\u0000' } })?.detail).toMatchObject({ code: 'INVALID_VALUE', target: 'name.given' });
    expect(findNul({ list: ['ok', 'n\u0000'] })?.detail.target).toBe('list[1]');
    expect(findNul({ ['k\u0000']: 1 })?.detail.target).toBe('body');
    expect(findNul({ name: { given: 'fine' }, n: 1, b: null })).toBeUndefined();
  });
});
