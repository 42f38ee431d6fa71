// A deliberately small GraphQL reader: operations, variable definitions, fields with
// aliases and arguments, inline fragments and named fragments. Directives are read
// and ignored. Enough to recognise the storefront operations by their root fields
// and to shape responses by the client's selection set.

export interface SourceLocation {
  line: number;
  column: number;
}

export type ValueNode =
  | { kind: 'Variable'; name: string }
  | { kind: 'Literal'; value: string | number | boolean | null }
  | { kind: 'Enum'; value: string }
  | { kind: 'List'; values: ValueNode[] }
  | { kind: 'Object'; fields: Record<string, ValueNode> };

export interface FieldNode {
  kind: 'Field';
  alias?: string;
  name: string;
  args: Record<string, ValueNode>;
  selections: SelectionNode[];
  loc: SourceLocation;
}

export interface InlineFragmentNode {
  kind: 'InlineFragment';
  typeCondition?: string;
  selections: SelectionNode[];
}

export interface FragmentSpreadNode {
  kind: 'FragmentSpread';
  name: string;
  loc: SourceLocation;
}

export type SelectionNode = FieldNode | InlineFragmentNode | FragmentSpreadNode;

export interface VariableDefinition {
  name: string;
  type: string; // printed form, e.g. "String!" or "[Int!]"
  nonNull: boolean;
  defaultValue?: ValueNode;
}

export interface OperationNode {
  operation: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: VariableDefinition[];
  selections: SelectionNode[];
}

export interface FragmentDefinition {
  name: string;
  typeCondition: string;
  selections: SelectionNode[];
}

export interface DocumentNode {
  operations: OperationNode[];
  fragments: Map<string, FragmentDefinition>;
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: SourceLocation,
  ) {
    super(`Syntax Error: ${message}`);
  }
}

interface Token {
  kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
  value: string;
  loc: SourceLocation;
}

const PUNCTUATORS = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): SourceLocation => ({ line, column: at - lineStart + 1 });

  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ',' || ch === '\uFEFF') {
      i++;
    } else if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '.' && source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc(i) });
      i += 3;
    } else if (PUNCTUATORS.has(ch)) {
      tokens.push({ kind: 'punct', value: ch, loc: loc(i) });
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ kind: 'name', value: source.slice(start, i), loc: loc(start) });
    } else if (ch === '-' || /[0-9]/.test(ch)) {
      const start = i;
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!match) throw new GraphQLSyntaxError(`Invalid number.`, loc(start));
      i += match[0].length;
      const kind = match[2] || match[3] ? 'float' : 'int';
      tokens.push({ kind, value: match[0], loc: loc(start) });
    } else if (ch === '"') {
      const start = i;
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        if (end < 0) throw new GraphQLSyntaxError('Unterminated string.', loc(start));
        const raw = source.slice(i + 3, end);
        tokens.push({ kind: 'string', value: raw.trim(), loc: loc(start) });
        for (const c of raw) if (c === '\n') line++;
        i = end + 3;
        if (raw.includes('\n')) lineStart = source.lastIndexOf('\n', end) + 1;
      } else {
        let j = i + 1;
        let text = '';
        while (j < source.length && source[j] !== '"') {
          if (source[j] === '\n') throw new GraphQLSyntaxError('Unterminated string.', loc(start));
          if (source[j] === '\\') {
            const esc = source[j + 1];
            const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
            if (esc === 'u') {
              text += String.fromCharCode(parseInt(source.slice(j + 2, j + 6), 16));
              j += 6;
              continue;
            }
            if (esc === undefined || !(esc in map)) throw new GraphQLSyntaxError('Invalid escape.', loc(j));
            text += map[esc];
            j += 2;
            continue;
          }
          text += source[j];
          j++;
        }
        if (j >= source.length) throw new GraphQLSyntaxError('Unterminated string.', loc(start));
        tokens.push({ kind: 'string', value: text, loc: loc(start) });
        i = j + 1;
      }
    } else {
      throw new GraphQLSyntaxError(`Unexpected character: "${ch}".`, loc(i));
    }
  }
  tokens.push({ kind: 'eof', value: '', loc: loc(i) });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === value;
  }
  private expectPunct(value: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== value) {
      throw new GraphQLSyntaxError(`Expected "${value}", found ${describe(t)}.`, t.loc);
    }
    return t;
  }
  private expectName(): Token {
    const t = this.next();
    if (t.kind !== 'name') throw new GraphQLSyntaxError(`Expected Name, found ${describe(t)}.`, t.loc);
    return t;
  }

  document(): DocumentNode {
    const operations: OperationNode[] = [];
    const fragments = new Map<string, FragmentDefinition>();
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'punct' && t.value === '{') {
        operations.push({ operation: 'query', variables: [], selections: this.selectionSet() });
      } else if (t.kind === 'name' && (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription')) {
        operations.push(this.operation());
      } else if (t.kind === 'name' && t.value === 'fragment') {
        const fragment = this.fragmentDefinition();
        fragments.set(fragment.name, fragment);
      } else {
        throw new GraphQLSyntaxError(`Unexpected ${describe(t)}.`, t.loc);
      }
    }
    if (operations.length === 0) {
      throw new GraphQLSyntaxError('Document contains no operation.', this.peek().loc);
    }
    return { operations, fragments };
  }

  private operation(): OperationNode {
    const operation = this.next().value as OperationNode['operation'];
    const name = this.peek().kind === 'name' ? this.next().value : undefined;
    const variables: VariableDefinition[] = [];
    if (this.isPunct('(')) {
      this.next();
      while (!this.isPunct(')')) {
        this.expectPunct('$');
        const varName = this.expectName().value;
        this.expectPunct(':');
        const type = this.typeReference();
        let defaultValue: ValueNode | undefined;
        if (this.isPunct('=')) {
          this.next();
          defaultValue = this.value();
        }
        this.directives();
        variables.push({ name: varName, type, nonNull: type.endsWith('!'), defaultValue });
      }
      this.next();
    }
    this.directives();
    return { operation, name, variables, selections: this.selectionSet() };
  }

  private fragmentDefinition(): FragmentDefinition {
    this.next();
    const name = this.expectName().value;
    const on = this.expectName();
    if (on.value !== 'on') throw new GraphQLSyntaxError(`Expected "on", found ${describe(on)}.`, on.loc);
    const typeCondition = this.expectName().value;
    this.directives();
    return { name, typeCondition, selections: this.selectionSet() };
  }

  private typeReference(): string {
    let type: string;
    if (this.isPunct('[')) {
      this.next();
      type = `[${this.typeReference()}]`;
      this.expectPunct(']');
    } else {
      type = this.expectName().value;
    }
    if (this.isPunct('!')) {
      this.next();
      type += '!';
    }
    return type;
  }

  private selectionSet(): SelectionNode[] {
    this.expectPunct('{');
    if (this.isPunct('}')) throw new GraphQLSyntaxError('Expected Name, found "}".', this.peek().loc);
    const selections: SelectionNode[] = [];
    while (!this.isPunct('}')) {
      if (this.peek().kind === 'eof') throw new GraphQLSyntaxError('Expected "}", found <EOF>.', this.peek().loc);
      selections.push(this.selection());
    }
    this.next();
    return selections;
  }

  private selection(): SelectionNode {
    if (this.isPunct('...')) {
      const spread = this.next();
      const t = this.peek();
      if (t.kind === 'name' && t.value === 'on') {
        this.next();
        const typeCondition = this.expectName().value;
        this.directives();
        return { kind: 'InlineFragment', typeCondition, selections: this.selectionSet() };
      }
      if (t.kind === 'name') {
        this.next();
        this.directives();
        return { kind: 'FragmentSpread', name: t.value, loc: spread.loc };
      }
      this.directives();
      return { kind: 'InlineFragment', selections: this.selectionSet() };
    }
    const first = this.expectName();
    let alias: string | undefined;
    let name = first.value;
    if (this.isPunct(':')) {
      this.next();
      alias = first.value;
      name = this.expectName().value;
    }
    const args = this.isPunct('(') ? this.arguments() : {};
    this.directives();
    const selections = this.isPunct('{') ? this.selectionSet() : [];
    return { kind: 'Field', alias, name, args, selections, loc: first.loc };
  }

  private arguments(): Record<string, ValueNode> {
    this.expectPunct('(');
    const args: Record<string, ValueNode> = {};
    while (!this.isPunct(')')) {
      const name = this.expectName().value;
      this.expectPunct(':');
      args[name] = this.value();
    }
    this.next();
    return args;
  }

  private directives(): void {
    while (this.isPunct('@')) {
      this.next();
      this.expectName();
      if (this.isPunct('(')) this.arguments();
    }
  }

  private value(): ValueNode {
    const t = this.next();
    if (t.kind === 'punct' && t.value === '$') return { kind: 'Variable', name: this.expectName().value };
    if (t.kind === 'int' || t.kind === 'float') return { kind: 'Literal', value: Number(t.value) };
    if (t.kind === 'string') return { kind: 'Literal', value: t.value };
    if (t.kind === 'name') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'Literal', value: t.value === 'true' };
      if (t.value === 'null') return { kind: 'Literal', value: null };
      return { kind: 'Enum', value: t.value };
    }
    if (t.kind === 'punct' && t.value === '[') {
      const values: ValueNode[] = [];
      while (!this.isPunct(']')) values.push(this.value());
      this.next();
      return { kind: 'List', values };
    }
    if (t.kind === 'punct' && t.value === '{') {
      const fields: Record<string, ValueNode> = {};
      while (!this.isPunct('}')) {
        const name = this.expectName().value;
        this.expectPunct(':');
        fields[name] = this.value();
      }
      this.next();
      return { kind: 'Object', fields };
    }
    throw new GraphQLSyntaxError(`Unexpected ${describe(t)}.`, t.loc);
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return '<EOF>';
  if (t.kind === 'string') return 'String';
  return `"${t.value}"`;
}

export function parseGraphQL(source: string): DocumentNode {
  return new Parser(tokenize(source)).document();
}
