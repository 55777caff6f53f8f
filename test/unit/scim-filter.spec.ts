import { describe, expect, it } from '@jest/globals';
import { ValidationFailed } from '../../src/common/errors/domain-error.js';
import { type FilterNode, type FilterSchema, operandsOf, parseFilter } from '../../src/common/filter/scim-filter.js';
import { USER_FILTER_SCHEMA } from '../../src/users/user-filter.js';

const parse = (text: string) => parseFilter(text, USER_FILTER_SCHEMA);
const eq = (attribute: string, value: string | boolean) => ({ kind: 'compare', attribute, operator: 'eq', value });

describe('parseFilter', () => {
  it('parses a comparison, operators case-insensitively', () => {
    expect(parse('username EQ "alice"')).toEqual(eq('username', 'alice'));
    expect(parse('email sw "a@"')).toEqual({ kind: 'compare', attribute: 'email', operator: 'sw', value: 'a@' });
  });

  it('parses booleans and escaped quotes', () => {
    expect(parse('enabled eq FALSE')).toEqual(eq('enabled', false));
    expect(parse('name.given eq "say \\"hi\\""')).toEqual(eq('name.given', 'say "hi"'));
  });

  it('parses a value filter on a multi-valued attribute as a comparison of its sub-attribute', () => {
    expect(parse('memberOfGroups[id eq "g1"]')).toEqual(eq('memberOfGroups.id', 'g1'));
    expect(parse('MEMBEROFGROUPS[ID eq "g1"] and username eq "a"')).toEqual({
      kind: 'and',
      left: eq('memberOfGroups.id', 'g1'),
      right: eq('username', 'a'),
    });
    for (const bad of [
      'memberOfGroups eq "g"',
      'memberOfGroups[id eq "g"',
      'memberOfGroups[nope eq "g"]',
      'memberOfGroups[id sw "g"]',
      'username[id eq "g"]',
      'memberOfGroups[]',
    ]) {
      expect(() => parse(bad)).toThrow(ValidationFailed);
    }
  });

  it('binds and tighter than or', () => {
    expect(parse('username eq "a" or username eq "b" and enabled eq true')).toEqual({
      kind: 'or',
      left: eq('username', 'a'),
      right: { kind: 'and', left: eq('username', 'b'), right: eq('enabled', true) },
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parse('(username eq "a" or username eq "b") and enabled eq true')).toEqual({
      kind: 'and',
      left: { kind: 'or', left: eq('username', 'a'), right: eq('username', 'b') },
      right: eq('enabled', true),
    });
  });

  it.each([
    ['an unknown attribute', 'password eq "x"'],
    ['an unsupported operator', 'username co "x"'],
    ['sw on a boolean', 'enabled sw true'],
    ['a string for a boolean', 'enabled eq "true"'],
    ['a bare word for a string', 'username eq alice'],
    ['an unterminated string', 'username eq "alice'],
    ['an unclosed parenthesis', '(username eq "a"'],
    ['a stray parenthesis', 'username eq "a")'],
    ['a dangling and', 'username eq "a" and'],
    ['an injection attempt', 'username eq "a"; DROP TABLE "User"'],
    ['deep nesting', `${'('.repeat(40)}username eq "a"${')'.repeat(40)}`],
    ['an overlong filter', `username eq "${'a'.repeat(3000)}"`],
  ])('refuses %s with INVALID_FILTER listing what is supported', (_, text) => {
    let error: unknown;
    try {
      parse(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailed);
    const [detail] = (error as ValidationFailed).details;
    expect(detail).toMatchObject({ code: 'INVALID_FILTER', target: 'filter' });
    expect(detail?.innerError?.supportedAttributes).toContain('account.status');
  });
});

describe('operandsOf', () => {
  const schema: FilterSchema = { a: { type: 'string', operators: ['eq'] } };
  it('lists a chain of one connective flat, in order, and keeps a parenthesised other connective whole', () => {
    const terms = Array.from({ length: 500 }, (_, i) => `a eq "${i}"`);
    const tree = parseFilter(terms.slice(0, 100).join(' and '), schema);
    const operands = operandsOf(tree as FilterNode & { kind: 'and' });
    expect(operands.map((o) => (o.kind === 'compare' ? o.value : '?'))).toEqual(terms.slice(0, 100).map((_, i) => String(i)));
    const mixed = parseFilter('a eq "1" and (a eq "2" or a eq "3") and a eq "4"', schema) as FilterNode & { kind: 'and' };
    expect(operandsOf(mixed).map((o) => o.kind)).toEqual(['compare', 'or', 'compare']);
  });

  it('refuses a NUL character in a filter', () => {
    expect(() => parseFilter('a eq "x\u0000"', schema)).toThrow(ValidationFailed);
  });
});
