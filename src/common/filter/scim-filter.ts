import { ValidationFailed } from '../errors/domain-error.js';

/**
 * A parser for the subset of SCIM filters PingOne supports on lists:
 * `attr eq "v"`, `attr sw "v"`, `attr gt|ge|lt|le "<date-time>"`, `and`, `or` (and binds tighter),
 * parentheses, string, date-time and boolean values, and a value filter on a multi-valued attribute
 * (`memberOfGroups[id eq "..."]`), which yields the comparison `memberOfGroups.id eq "..."`. Attribute names and keywords are matched
 * without regard to case (PingOne's own examples write both `recordedAt` and `recordedat`, `and`
 * and `AND`). It yields a tree that repositories translate into their own query objects, so a
 * filter never becomes SQL text.
 */
export type Operator = 'eq' | 'sw' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | boolean;

export type FilterNode =
  | { kind: 'compare'; attribute: string; operator: Operator; value: FilterValue }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

export type AttributeSpec =
  | {
      /** `date-time` values are quoted ISO 8601 date-times, e.g. "2026-12-01T00:00:00Z". */
      type: 'string' | 'boolean' | 'date-time';
      operators: readonly Operator[];
    }
  /** A multi-valued attribute filtered by one comparison on a sub-attribute in brackets: `attr[sub eq "v"]`. */
  | { type: 'complex'; subAttributes: Readonly<Record<string, SimpleAttributeSpec>> };

export type SimpleAttributeSpec = Exclude<AttributeSpec, { type: 'complex' }>;

export type FilterSchema = Readonly<Record<string, AttributeSpec>>;

const MAX_LENGTH = 2048;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_DEPTH = 32;

type Token =
  | { kind: 'lparen'; at: number }
  | { kind: 'rparen'; at: number }
  | { kind: 'lbracket'; at: number }
  | { kind: 'rbracket'; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number };

export function parseFilter(text: string, schema: FilterSchema): FilterNode {
  if (text.length > MAX_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_LENGTH} characters.`, schema);
  if (text.includes('\u0000')) throw invalidFilter('The filter holds a NUL character (\\u0000), which values may not contain.', schema);
  const parser = new Parser(tokenize(text, schema), schema);
  const tree = parser.parseOr(0);
  parser.expectEnd();
  return tree;
}

/**
 * The operands of a chain of one connective (`a and b and c and d`), however the parser grouped
 * it. Repositories give them to the database as one list: a chain of 60 `and`s as nested pairs
 * went past Prisma's limit on the depth of a query, while the documented limits allow about 150
 * terms. Only parentheses that change the connective add a level (at most MAX_DEPTH).
 */
export function operandsOf(node: FilterNode & { kind: 'and' | 'or' }): FilterNode[] {
  const operands: FilterNode[] = [];
  const pending: FilterNode[] = [node];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.kind === node.kind) pending.push(next.right, next.left);
    else operands.push(next);
  }
  return operands;
}

function tokenize(text: string, schema: FilterSchema): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push(ch === '(' ? { kind: 'lparen', at: i } : { kind: 'rparen', at: i });
      i++;
    } else if (ch === '[' || ch === ']') {
      tokens.push(ch === '[' ? { kind: 'lbracket', at: i } : { kind: 'rbracket', at: i });
      i++;
    } else if (ch === '"') {
      const start = i++;
      let value = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw invalidFilter(`Unterminated string starting at position ${start}.`, schema);
      i++;
      tokens.push({ kind: 'string', text: value, at: start });
    } else {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.-]/.test(text[i])) i++;
      if (i === start) throw invalidFilter(`Unexpected character '${ch}' at position ${i}.`, schema);
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly schema: FilterSchema,
  ) {}

  parseOr(depth: number): FilterNode {
    let left = this.parseAnd(depth);
    while (this.peekWord('or')) {
      this.position++;
      left = { kind: 'or', left, right: this.parseAnd(depth) };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.tokens[this.position];
    if (token) throw this.error(`Unexpected '${describe(token)}' at position ${token.at}.`);
  }

  private parseAnd(depth: number): FilterNode {
    let left = this.parsePrimary(depth);
    while (this.peekWord('and')) {
      this.position++;
      left = { kind: 'and', left, right: this.parsePrimary(depth) };
    }
    return left;
  }

  private parsePrimary(depth: number): FilterNode {
    if (depth > MAX_DEPTH) throw this.error('The filter is nested too deeply.');
    const token = this.next('an attribute or (');
    if (token.kind === 'lparen') {
      const inner = this.parseOr(depth + 1);
      const close = this.next(')');
      if (close.kind !== 'rparen') throw this.error(`Expected ')' at position ${close.at}.`);
      return inner;
    }
    if (token.kind !== 'word') throw this.error(`Expected an attribute at position ${token.at}.`);
    return this.parseComparison(token.text);
  }

  private parseComparison(written: string): FilterNode {
    const attribute = this.attributeNamed(written, this.schema);
    const spec = attribute === undefined ? undefined : this.schema[attribute];
    if (attribute === undefined || !spec) throw this.error(`Filtering on '${written}' is not supported.`);
    if (spec.type === 'complex') return this.parseValueFilter(attribute, spec.subAttributes);
    return this.parseSimple(attribute, spec);
  }

  /** `attr[sub op value]`: one comparison on a sub-attribute, returned as `attr.sub op value`. */
  private parseValueFilter(attribute: string, subAttributes: Readonly<Record<string, SimpleAttributeSpec>>): FilterNode {
    const open = this.next('[');
    if (open.kind !== 'lbracket')
      throw this.error(`'${attribute}' is filtered as ${attribute}[${Object.keys(subAttributes)[0]} eq "..."].`);
    const subToken = this.next('an attribute');
    const sub = subToken.kind === 'word' ? this.attributeNamed(subToken.text, subAttributes) : undefined;
    const subSpec = sub === undefined ? undefined : subAttributes[sub];
    if (sub === undefined || !subSpec) throw this.error(`Filtering on '${attribute}[${describe(subToken)}]' is not supported.`);
    const node = this.parseSimple(`${attribute}.${sub}`, subSpec);
    const close = this.next(']');
    if (close.kind !== 'rbracket') throw this.error(`Expected ']' at position ${close.at}.`);
    return node;
  }

  private parseSimple(attribute: string, spec: SimpleAttributeSpec): FilterNode {
    const opToken = this.next('an operator');
    const operator = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (!spec.operators.includes(operator as Operator)) {
      throw this.error(`Operator '${describe(opToken)}' is not supported for '${attribute}'.`);
    }
    const valueToken = this.next('a value');
    return { kind: 'compare', attribute, operator: operator as Operator, value: this.value(valueToken, attribute, spec) };
  }

  /** The schema's spelling of an attribute written in any case. */
  private attributeNamed(written: string, schema: Readonly<Record<string, unknown>>): string | undefined {
    if (schema[written]) return written;
    const lower = written.toLowerCase();
    return Object.keys(schema).find((name) => name.toLowerCase() === lower);
  }

  private value(token: Token, attribute: string, spec: SimpleAttributeSpec): FilterValue {
    if (spec.type === 'string' && token.kind === 'string') return token.text;
    if (spec.type === 'date-time' && token.kind === 'string') {
      if (ISO_DATE_TIME.test(token.text) && !Number.isNaN(Date.parse(token.text))) return new Date(token.text).toISOString();
      throw this.error(`'${attribute}' takes an ISO 8601 date-time such as "2026-01-31T23:59:59.999Z", not "${token.text}".`);
    }
    if (spec.type === 'boolean' && token.kind === 'word' && /^(true|false)$/i.test(token.text)) {
      return token.text.toLowerCase() === 'true';
    }
    const expected = spec.type === 'boolean' ? 'true or false' : spec.type === 'date-time' ? 'quoted date-time' : 'quoted string';
    throw this.error(`'${attribute}' takes a ${expected} value.`);
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position++];
    if (!token) throw this.error(`The filter ended where ${expected} was expected.`);
    return token;
  }

  private error(message: string): ValidationFailed {
    return invalidFilter(message, this.schema);
  }
}

function describe(token: Token): string {
  if (token.kind === 'lparen') return '(';
  if (token.kind === 'rparen') return ')';
  if (token.kind === 'lbracket') return '[';
  if (token.kind === 'rbracket') return ']';
  return token.text;
}

function invalidFilter(message: string, schema: FilterSchema): ValidationFailed {
  const simple = Object.values(schema).flatMap((s) => (s.type === 'complex' ? Object.values(s.subAttributes) : [s]));
  const operators = [...new Set(simple.flatMap((s) => s.operators))].sort();
  const attributes = Object.entries(schema).flatMap(([name, s]) =>
    s.type === 'complex' ? Object.keys(s.subAttributes).map((sub) => `${name}[${sub}]`) : [name],
  );
  return new ValidationFailed([
    {
      code: 'INVALID_FILTER',
      target: 'filter',
      message,
      innerError: { supportedAttributes: attributes, supportedOperators: [...operators, 'and', 'or'] },
    },
  ]);
}
