// A small GraphQL engine for the Glimesh simulator: parses a document, validates it against the
// part of Glimesh's Absinthe schema that chat clients use (lib/glimesh/api/schema/*_types.ex), binds
// variables by name and returns exactly the fields asked for. So a client that asks for a field
// the real server does not have (`user { avatar }`), forgets a variable, or string-builds values
// fails here as it would there. Error sentences follow Absinthe's wording where we know it.
// Written from the GraphQL spec and the Glimesh schema, independently of the extension's code.

export type GqlValue =
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'int' | 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'enum'; readonly value: string }
  | { readonly kind: 'list'; readonly values: readonly GqlValue[] }
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, GqlValue> };

interface Location {
  readonly line: number;
  readonly column: number;
}

export interface GqlField {
  readonly kind: 'field';
  readonly alias?: string;
  readonly name: string;
  readonly args: ReadonlyMap<string, GqlValue>;
  readonly selections?: readonly GqlSelection[];
  readonly loc: Location;
}

interface GqlInlineFragment {
  readonly kind: 'inline';
  readonly typeCondition?: string;
  readonly selections: readonly GqlSelection[];
  readonly loc: Location;
}

interface GqlSpread {
  readonly kind: 'spread';
  readonly name: string;
  readonly loc: Location;
}

export type GqlSelection = GqlField | GqlInlineFragment | GqlSpread;

interface VariableDefinition {
  readonly name: string;
  readonly type: string;
  readonly defaultValue?: GqlValue;
  readonly loc: Location;
}

export interface GqlOperation {
  readonly operation: 'query' | 'mutation' | 'subscription';
  readonly name?: string;
  readonly variables: readonly VariableDefinition[];
  readonly selections: readonly GqlSelection[];
}

interface GqlDocument {
  readonly operations: readonly GqlOperation[];
  readonly fragments: ReadonlyMap<
    string,
    { readonly typeCondition: string; readonly selections: readonly GqlSelection[] }
  >;
}

/** One entry of a GraphQL `errors` array. */
export interface GqlError {
  readonly message: string;
  readonly locations: readonly Location[];
  readonly path?: readonly (string | number)[];
}

class GqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: Location,
  ) {
    super(message);
  }
}

// ---- lexer -------------------------------------------------------------------------------------

interface Token {
  readonly kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
  readonly value: string;
  readonly loc: Location;
}

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): Location => ({ line, column: at - lineStart + 1 });
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc(i) });
      i += 3;
      continue;
    }
    if ('!$()[]{}:=@|&'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, loc: loc(i) });
      i++;
      continue;
    }
    if (/[_A-Za-z]/.test(c)) {
      const start = i;
      while (i < source.length && /[_0-9A-Za-z]/.test(source[i]!)) i++;
      tokens.push({ kind: 'name', value: source.slice(start, i), loc: loc(start) });
      continue;
    }
    if (c === '-' || /[0-9]/.test(c)) {
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!match) throw new GqlSyntaxError(`syntax error before: ${JSON.stringify(c)}`, loc(i));
      tokens.push({ kind: match[2] || match[3] ? 'float' : 'int', value: match[0], loc: loc(i) });
      i += match[0].length;
      continue;
    }
    if (c === '"') {
      const start = i;
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        if (end < 0)
          throw new GqlSyntaxError('syntax error: unterminated block string', loc(start));
        tokens.push({ kind: 'string', value: source.slice(i + 3, end), loc: loc(start) });
        i = end + 3;
        continue;
      }
      i++;
      let value = '';
      for (;;) {
        if (i >= source.length || source[i] === '\n')
          throw new GqlSyntaxError('syntax error: unterminated string', loc(start));
        const ch = source[i]!;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const next = source[i + 1];
          const simple: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            b: '\b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t',
          };
          if (next !== undefined && simple[next] !== undefined) {
            value += simple[next];
            i += 2;
          } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
          } else throw new GqlSyntaxError('syntax error: bad escape in string', loc(i));
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: 'string', value, loc: loc(start) });
      continue;
    }
    throw new GqlSyntaxError(
      `syntax error before: ${JSON.stringify(source.slice(i, i + 10))}`,
      loc(i),
    );
  }
  tokens.push({ kind: 'eof', value: '', loc: loc(i) });
  return tokens;
}

// ---- parser ------------------------------------------------------------------------------------

class Parser {
  private _at = 0;
  constructor(private readonly _tokens: Token[]) {}

  private get _peek(): Token {
    return this._tokens[this._at]!;
  }

  private _fail(): never {
    const t = this._peek;
    throw new GqlSyntaxError(
      t.kind === 'eof'
        ? 'syntax error at end of document'
        : `syntax error before: ${JSON.stringify(t.value)}`,
      t.loc,
    );
  }

  private _is(value: string): boolean {
    const t = this._peek;
    return (t.kind === 'punct' || t.kind === 'name') && t.value === value;
  }

  private _expect(value: string): Token {
    if (!this._is(value)) this._fail();
    return this._tokens[this._at++]!;
  }

  private _name(): Token {
    if (this._peek.kind !== 'name') this._fail();
    return this._tokens[this._at++]!;
  }

  document(): GqlDocument {
    const operations: GqlOperation[] = [];
    const fragments = new Map<string, { typeCondition: string; selections: GqlSelection[] }>();
    while (this._peek.kind !== 'eof') {
      if (this._is('{'))
        operations.push({ operation: 'query', variables: [], selections: this._selectionSet() });
      else if (this._is('query') || this._is('mutation') || this._is('subscription'))
        operations.push(this._operation());
      else if (this._is('fragment')) {
        this._at++;
        const name = this._name().value;
        this._expect('on');
        const typeCondition = this._name().value;
        fragments.set(name, { typeCondition, selections: this._selectionSet() });
      } else this._fail();
    }
    if (operations.length === 0)
      throw new GqlSyntaxError('No operations provided.', { line: 1, column: 1 });
    return { operations, fragments };
  }

  private _operation(): GqlOperation {
    const operation = this._name().value as GqlOperation['operation'];
    const name = this._peek.kind === 'name' ? this._name().value : undefined;
    const variables: VariableDefinition[] = [];
    if (this._is('(')) {
      this._at++;
      while (!this._is(')')) {
        const loc = this._expect('$').loc;
        const varName = this._name().value;
        this._expect(':');
        const type = this._type();
        let defaultValue: GqlValue | undefined;
        if (this._is('=')) {
          this._at++;
          defaultValue = this._value(true);
        }
        variables.push({ name: varName, type, loc, ...(defaultValue ? { defaultValue } : {}) });
      }
      this._expect(')');
    }
    this._directives();
    return { operation, ...(name ? { name } : {}), variables, selections: this._selectionSet() };
  }

  private _type(): string {
    let type: string;
    if (this._is('[')) {
      this._at++;
      type = `[${this._type()}]`;
      this._expect(']');
    } else type = this._name().value;
    if (this._is('!')) {
      this._at++;
      type += '!';
    }
    return type;
  }

  private _directives(): void {
    // Parsed and ignored (@include/@skip are not used by chat clients).
    while (this._is('@')) {
      this._at++;
      this._name();
      if (this._is('(')) this._arguments();
    }
  }

  private _selectionSet(): GqlSelection[] {
    this._expect('{');
    const selections: GqlSelection[] = [];
    while (!this._is('}')) selections.push(this._selection());
    this._expect('}');
    if (selections.length === 0) this._fail();
    return selections;
  }

  private _selection(): GqlSelection {
    if (this._is('...')) {
      const loc = this._expect('...').loc;
      if (this._is('on')) {
        this._at++;
        const typeCondition = this._name().value;
        this._directives();
        return { kind: 'inline', typeCondition, selections: this._selectionSet(), loc };
      }
      if (this._is('{') || this._is('@')) {
        this._directives();
        return { kind: 'inline', selections: this._selectionSet(), loc };
      }
      return { kind: 'spread', name: this._name().value, loc };
    }
    const first = this._name();
    let alias: string | undefined;
    let name = first.value;
    if (this._is(':')) {
      this._at++;
      alias = first.value;
      name = this._name().value;
    }
    const args = this._is('(') ? this._arguments() : new Map<string, GqlValue>();
    this._directives();
    const selections = this._is('{') ? this._selectionSet() : undefined;
    return {
      kind: 'field',
      ...(alias ? { alias } : {}),
      name,
      args,
      ...(selections ? { selections } : {}),
      loc: first.loc,
    };
  }

  private _arguments(): Map<string, GqlValue> {
    this._expect('(');
    const args = new Map<string, GqlValue>();
    while (!this._is(')')) {
      const name = this._name().value;
      this._expect(':');
      args.set(name, this._value(false));
    }
    this._expect(')');
    return args;
  }

  private _value(isConst: boolean): GqlValue {
    const t = this._peek;
    if (t.kind === 'punct' && t.value === '$' && !isConst) {
      this._at++;
      return { kind: 'variable', name: this._name().value };
    }
    if (t.kind === 'int' || t.kind === 'float') {
      this._at++;
      return { kind: t.kind, value: Number(t.value) };
    }
    if (t.kind === 'string') {
      this._at++;
      return { kind: 'string', value: t.value };
    }
    if (t.kind === 'name') {
      this._at++;
      if (t.value === 'true' || t.value === 'false')
        return { kind: 'boolean', value: t.value === 'true' };
      if (t.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: t.value };
    }
    if (this._is('[')) {
      this._at++;
      const values: GqlValue[] = [];
      while (!this._is(']')) values.push(this._value(isConst));
      this._at++;
      return { kind: 'list', values };
    }
    if (this._is('{')) {
      this._at++;
      const fields = new Map<string, GqlValue>();
      while (!this._is('}')) {
        const name = this._name().value;
        this._expect(':');
        fields.set(name, this._value(isConst));
      }
      this._at++;
      return { kind: 'object', fields };
    }
    return this._fail();
  }
}

// ---- schema ------------------------------------------------------------------------------------

interface FieldDefinition {
  readonly type: string;
  readonly args?: Readonly<Record<string, string>>;
}

interface TypeDefinition {
  readonly kind: 'object' | 'interface' | 'input';
  readonly fields: Readonly<Record<string, FieldDefinition>>;
  /** For interfaces: the object types that implement it. */
  readonly possibleTypes?: readonly string[];
}

const SCALARS = new Set(['ID', 'String', 'Int', 'Float', 'Boolean', 'NaiveDateTime', 'DateTime']);

const MESSAGE_TOKEN_FIELDS = { type: { type: 'String' }, text: { type: 'String' } };
const CONNECTION_ARGS = { first: 'Int', last: 'Int', before: 'String', after: 'String' };

/** The chat-related part of Glimesh's schema (names as Absinthe exposes them). */
export const SCHEMA: Readonly<Record<string, TypeDefinition>> = {
  RootQueryType: {
    kind: 'object',
    fields: {
      channel: {
        type: 'Channel',
        args: { id: 'ID', streamerId: 'Int', streamerUsername: 'String', hmacKey: 'String' },
      },
      user: { type: 'User', args: { id: 'Int', username: 'String' } },
      myself: { type: 'User' },
    },
  },
  RootMutationType: {
    kind: 'object',
    fields: {
      createChatMessage: {
        type: 'ChatMessage',
        args: { channelId: 'ID!', message: 'ChatMessageInput!' },
      },
      // chat_types.ex `chat_mutations`: each answers a ChannelModerationLog.
      shortTimeoutUser: { type: 'ChannelModerationLog', args: { channelId: 'ID!', userId: 'ID!' } },
      longTimeoutUser: { type: 'ChannelModerationLog', args: { channelId: 'ID!', userId: 'ID!' } },
      banUser: { type: 'ChannelModerationLog', args: { channelId: 'ID!', userId: 'ID!' } },
      unbanUser: { type: 'ChannelModerationLog', args: { channelId: 'ID!', userId: 'ID!' } },
      deleteChatMessage: {
        type: 'ChannelModerationLog',
        args: { channelId: 'ID!', messageId: 'ID!' },
      },
    },
  },
  RootSubscriptionType: {
    kind: 'object',
    fields: { chatMessage: { type: 'ChatMessage', args: { channelId: 'ID' } } },
  },
  Channel: {
    kind: 'object',
    fields: {
      id: { type: 'ID!' },
      title: { type: 'String' },
      language: { type: 'String' },
      status: { type: 'String' },
      chatRulesMd: { type: 'String' },
      blockLinks: { type: 'Boolean' },
      requireConfirmedEmail: { type: 'Boolean' },
      minimumAccountAge: { type: 'Int' },
      showRecentChatMessagesOnly: { type: 'Boolean' },
      streamer: { type: 'User!' },
      chatMessages: { type: 'ChatMessageConnection', args: CONNECTION_ARGS },
      moderators: { type: 'ChannelModeratorConnection', args: CONNECTION_ARGS },
      insertedAt: { type: 'NaiveDateTime!' },
      updatedAt: { type: 'NaiveDateTime!' },
    },
  },
  User: {
    kind: 'object',
    fields: {
      id: { type: 'ID!' },
      username: { type: 'String!' },
      displayname: { type: 'String!' },
      avatarUrl: { type: 'String' },
      bio: { type: 'String' },
      channel: { type: 'Channel' },
      confirmedAt: { type: 'NaiveDateTime' },
      insertedAt: { type: 'NaiveDateTime!' },
      updatedAt: { type: 'NaiveDateTime!' },
    },
  },
  ChatMessage: {
    kind: 'object',
    fields: {
      id: { type: 'ID!' },
      message: { type: 'String' },
      tokens: { type: '[ChatMessageToken]' },
      metadata: { type: 'ChatMessageMetadata' },
      isFollowedMessage: { type: 'Boolean' },
      isSubscriptionMessage: { type: 'Boolean' },
      channel: { type: 'Channel!' },
      user: { type: 'User!' },
      insertedAt: { type: 'NaiveDateTime!' },
      updatedAt: { type: 'NaiveDateTime!' },
    },
  },
  ChatMessageToken: {
    kind: 'interface',
    fields: MESSAGE_TOKEN_FIELDS,
    possibleTypes: ['TextToken', 'UrlToken', 'EmoteToken'],
  },
  TextToken: { kind: 'object', fields: MESSAGE_TOKEN_FIELDS },
  UrlToken: { kind: 'object', fields: { ...MESSAGE_TOKEN_FIELDS, url: { type: 'String' } } },
  EmoteToken: { kind: 'object', fields: { ...MESSAGE_TOKEN_FIELDS, src: { type: 'String' } } },
  ChatMessageMetadata: {
    kind: 'object',
    fields: {
      admin: { type: 'Boolean' },
      streamer: { type: 'Boolean' },
      moderator: { type: 'Boolean' },
      subscriber: { type: 'Boolean' },
      platformFounderSubscriber: { type: 'Boolean' },
      platformSupporterSubscriber: { type: 'Boolean' },
    },
  },
  ChatMessageConnection: {
    kind: 'object',
    fields: {
      edges: { type: '[ChatMessageEdge]' },
      pageInfo: { type: 'PageInfo!' },
      count: { type: 'Int' },
    },
  },
  ChatMessageEdge: {
    kind: 'object',
    fields: { node: { type: 'ChatMessage' }, cursor: { type: 'String' } },
  },
  PageInfo: {
    kind: 'object',
    fields: {
      hasNextPage: { type: 'Boolean!' },
      hasPreviousPage: { type: 'Boolean!' },
      startCursor: { type: 'String' },
      endCursor: { type: 'String' },
    },
  },
  ChatMessageInput: { kind: 'input', fields: { message: { type: 'String' } } },
  ChannelModerationLog: {
    kind: 'object',
    fields: {
      id: { type: 'ID!' },
      channel: { type: 'Channel!' },
      moderator: { type: 'User!' },
      user: { type: 'User!' },
      action: { type: 'String' },
      insertedAt: { type: 'NaiveDateTime!' },
      updatedAt: { type: 'NaiveDateTime!' },
    },
  },
  ChannelModerator: {
    kind: 'object',
    fields: {
      id: { type: 'ID!' },
      channel: { type: 'Channel!' },
      user: { type: 'User!' },
      canShortTimeout: { type: 'Boolean' },
      canLongTimeout: { type: 'Boolean' },
      canUnTimeout: { type: 'Boolean' },
      canBan: { type: 'Boolean' },
      canUnban: { type: 'Boolean' },
      canDelete: { type: 'Boolean' },
      insertedAt: { type: 'NaiveDateTime!' },
      updatedAt: { type: 'NaiveDateTime!' },
    },
  },
  ChannelModeratorConnection: {
    kind: 'object',
    fields: {
      edges: { type: '[ChannelModeratorEdge]' },
      pageInfo: { type: 'PageInfo!' },
      count: { type: 'Int' },
    },
  },
  ChannelModeratorEdge: {
    kind: 'object',
    fields: { node: { type: 'ChannelModerator' }, cursor: { type: 'String' } },
  },
};

const ROOT_TYPES: Record<GqlOperation['operation'], string> = {
  query: 'RootQueryType',
  mutation: 'RootMutationType',
  subscription: 'RootSubscriptionType',
};

const baseType = (type: string): string => type.replace(/[[\]!]/g, '');
const isNonNull = (type: string): boolean => type.endsWith('!');
const nullable = (type: string): string => (isNonNull(type) ? type.slice(0, -1) : type);

// ---- validation --------------------------------------------------------------------------------

/** A parsed, validated operation, ready to execute. */
export interface PreparedOperation {
  readonly operation: GqlOperation;
  readonly fragments: GqlDocument['fragments'];
  /** Variables after applying defaults (as sent otherwise). */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** Parses and validates a document with its variables: a prepared operation or the errors. */
export function prepare(
  query: unknown,
  variables: unknown,
  operationName?: unknown,
): PreparedOperation | { errors: GqlError[] } {
  if (typeof query !== 'string' || query.trim() === '')
    return { errors: [{ message: 'No query document supplied', locations: [] }] };
  let document: GqlDocument;
  try {
    document = new Parser(lex(query)).document();
  } catch (error) {
    if (error instanceof GqlSyntaxError)
      return { errors: [{ message: error.message, locations: [error.loc] }] };
    throw error;
  }
  const operation =
    typeof operationName === 'string' && operationName
      ? document.operations.find((o) => o.name === operationName)
      : document.operations.length === 1
        ? document.operations[0]
        : undefined;
  if (!operation)
    return {
      errors: [
        {
          message: 'Must provide a valid operation name if query contains multiple operations.',
          locations: [],
        },
      ],
    };
  const vars: Record<string, unknown> =
    typeof variables === 'object' && variables !== null && !Array.isArray(variables)
      ? { ...variables }
      : {};
  const errors: GqlError[] = [];
  const defined = new Map(operation.variables.map((v) => [v.name, v]));
  for (const def of operation.variables) {
    if (!SCALARS.has(baseType(def.type)) && SCHEMA[baseType(def.type)]?.kind !== 'input') {
      errors.push({ message: `Unknown type "${baseType(def.type)}".`, locations: [def.loc] });
      continue;
    }
    if (vars[def.name] === undefined && def.defaultValue)
      vars[def.name] = constant(def.defaultValue);
    if (isNonNull(def.type) && (vars[def.name] === undefined || vars[def.name] === null)) {
      errors.push({
        message: `Variable "${def.name}": Expected non-null, found null.`,
        locations: [def.loc],
      });
    } else if (
      vars[def.name] !== undefined &&
      vars[def.name] !== null &&
      !acceptsInput(def.type, vars[def.name])
    ) {
      errors.push({
        message: `Variable "${def.name}": Expected type "${def.type}", found ${JSON.stringify(vars[def.name])}.`,
        locations: [def.loc],
      });
    }
  }
  const rootType = ROOT_TYPES[operation.operation];
  const used = new Set<string>();
  validateSelections(
    operation.selections,
    rootType,
    document.fragments,
    defined,
    used,
    errors,
    new Set(),
  );
  for (const def of operation.variables) {
    if (!used.has(def.name))
      errors.push({ message: `Variable "${def.name}" is never used.`, locations: [def.loc] });
  }
  if (
    operation.operation === 'subscription' &&
    countRootFields(operation.selections, document.fragments) !== 1
  ) {
    errors.push({
      message: 'Only one field is permitted on the root object when subscribing',
      locations: [],
    });
  }
  return errors.length > 0
    ? { errors }
    : { operation, fragments: document.fragments, variables: vars };
}

function countRootFields(
  selections: readonly GqlSelection[],
  fragments: GqlDocument['fragments'],
): number {
  let n = 0;
  for (const s of selections) {
    if (s.kind === 'field') n++;
    else if (s.kind === 'inline') n += countRootFields(s.selections, fragments);
    else n += countRootFields(fragments.get(s.name)?.selections ?? [], fragments);
  }
  return n;
}

function constant(value: GqlValue): unknown {
  switch (value.kind) {
    case 'int':
    case 'float':
    case 'string':
    case 'boolean':
    case 'enum':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.values.map(constant);
    case 'object':
      return Object.fromEntries([...value.fields].map(([k, v]) => [k, constant(v)]));
    case 'variable':
      return undefined;
  }
}

/** Whether a JSON value fits an input type (variables and literals alike). */
function acceptsInput(type: string, value: unknown): boolean {
  if (value === null || value === undefined) return !isNonNull(type);
  const inner = nullable(type);
  if (inner.startsWith('['))
    return Array.isArray(value)
      ? value.every((v) => acceptsInput(inner.slice(1, -1), v))
      : acceptsInput(inner.slice(1, -1), value);
  switch (inner) {
    case 'ID':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    case 'String':
    case 'NaiveDateTime':
    case 'DateTime':
      return typeof value === 'string';
    case 'Int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Float':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
  }
  const input = SCHEMA[inner];
  if (input?.kind !== 'input' || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (Object.keys(record).some((k) => !(k in input.fields))) return false;
  return Object.entries(input.fields).every(([k, f]) => acceptsInput(f.type, record[k]));
}

/** Whether a variable of type `varType` may be used where `argType` is expected. */
function variableFits(varType: string, argType: string, hasDefault: boolean): boolean {
  if (isNonNull(argType) && !isNonNull(varType) && !hasDefault) return false;
  const v = nullable(varType);
  const a = nullable(argType);
  if (a.startsWith('['))
    return v.startsWith('[') && variableFits(v.slice(1, -1), a.slice(1, -1), false);
  return v === a;
}

function validateValue(
  value: GqlValue,
  type: string,
  defined: ReadonlyMap<string, VariableDefinition>,
  used: Set<string>,
  describe: string,
  loc: Location,
  errors: GqlError[],
): void {
  if (value.kind === 'variable') {
    used.add(value.name);
    const def = defined.get(value.name);
    if (!def)
      errors.push({ message: `Variable "${value.name}" is not defined.`, locations: [loc] });
    else if (!variableFits(def.type, type, def.defaultValue !== undefined)) {
      errors.push({
        message: `Variable "${value.name}" of type "${def.type}" found as input to argument of type "${type}".`,
        locations: [loc],
      });
    }
    return;
  }
  const input = SCHEMA[baseType(type)];
  if (value.kind === 'object' && input?.kind === 'input' && !nullable(type).startsWith('[')) {
    for (const [name, fieldValue] of value.fields) {
      const field = input.fields[name];
      if (!field)
        errors.push({
          message: `${describe} has invalid value: unknown field "${name}".`,
          locations: [loc],
        });
      else validateValue(fieldValue, field.type, defined, used, describe, loc, errors);
    }
    return;
  }
  if (value.kind === 'list') {
    for (const v of value.values)
      validateValue(
        v,
        nullable(type).startsWith('[') ? nullable(type).slice(1, -1) : type,
        defined,
        used,
        describe,
        loc,
        errors,
      );
    return;
  }
  // GraphQL literals: an ID may be written as a string or an integer.
  const literal =
    value.kind === 'int' && baseType(type) === 'ID' ? String(value.value) : constant(value);
  if (!acceptsInput(type, literal))
    errors.push({
      message: `${describe} has invalid value ${describeLiteral(value)}.`,
      locations: [loc],
    });
}

function describeLiteral(value: GqlValue): string {
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value);
    case 'null':
      return 'null';
    case 'int':
    case 'float':
    case 'boolean':
    case 'enum':
      return String(value.value);
    default:
      return value.kind;
  }
}

function validateSelections(
  selections: readonly GqlSelection[],
  typeName: string,
  fragments: GqlDocument['fragments'],
  defined: ReadonlyMap<string, VariableDefinition>,
  used: Set<string>,
  errors: GqlError[],
  spreading: Set<string>,
): void {
  const type = SCHEMA[typeName]!;
  for (const selection of selections) {
    if (selection.kind === 'spread') {
      const fragment = fragments.get(selection.name);
      if (!fragment)
        errors.push({
          message: `Unknown fragment "${selection.name}".`,
          locations: [selection.loc],
        });
      else if (
        !spreading.has(selection.name) &&
        checkCondition(fragment.typeCondition, typeName, selection.loc, errors)
      ) {
        validateSelections(
          fragment.selections,
          fragment.typeCondition,
          fragments,
          defined,
          used,
          errors,
          new Set([...spreading, selection.name]),
        );
      }
      continue;
    }
    if (selection.kind === 'inline') {
      const condition = selection.typeCondition ?? typeName;
      if (checkCondition(condition, typeName, selection.loc, errors))
        validateSelections(
          selection.selections,
          condition,
          fragments,
          defined,
          used,
          errors,
          spreading,
        );
      continue;
    }
    if (selection.name === '__typename') continue;
    const field = type.fields[selection.name];
    if (!field) {
      errors.push({
        message: `Cannot query field "${selection.name}" on type "${typeName}".`,
        locations: [selection.loc],
      });
      continue;
    }
    const declared = field.args ?? {};
    for (const [name, value] of selection.args) {
      const argType = declared[name];
      if (!argType)
        errors.push({
          message: `Unknown argument "${name}" on field "${selection.name}" of type "${typeName}".`,
          locations: [selection.loc],
        });
      else
        validateValue(value, argType, defined, used, `Argument "${name}"`, selection.loc, errors);
    }
    for (const [name, argType] of Object.entries(declared)) {
      if (isNonNull(argType) && !selection.args.has(name)) {
        errors.push({
          message: `In argument "${name}": Expected type "${argType}", found null.`,
          locations: [selection.loc],
        });
      }
    }
    const target = baseType(field.type);
    if (SCALARS.has(target)) {
      if (selection.selections)
        errors.push({
          message: `Field "${selection.name}" must not have a selection since type "${field.type}" has no subfields.`,
          locations: [selection.loc],
        });
    } else if (!selection.selections) {
      errors.push({
        message: `Field "${selection.name}" of type "${field.type}" must have a selection of subfields. Did you mean "${selection.name} { ... }"?`,
        locations: [selection.loc],
      });
    } else
      validateSelections(selection.selections, target, fragments, defined, used, errors, spreading);
  }
}

function checkCondition(
  condition: string,
  parent: string,
  loc: Location,
  errors: GqlError[],
): boolean {
  const type = SCHEMA[condition];
  if (!type || type.kind === 'input') {
    errors.push({ message: `Unknown type "${condition}".`, locations: [loc] });
    return false;
  }
  const parentType = SCHEMA[parent]!;
  const fits =
    condition === parent ||
    (parentType.possibleTypes?.includes(condition) ?? false) ||
    (type.possibleTypes?.includes(parent) ?? false);
  if (!fits)
    errors.push({
      message: `Fragment cannot be spread here as objects of type "${parent}" can never be of type "${condition}".`,
      locations: [loc],
    });
  return fits;
}

// ---- execution ---------------------------------------------------------------------------------

/** The argument values of a field, variables bound by name. */
export function argumentValues(
  field: GqlField,
  variables: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const resolve = (value: GqlValue): unknown => {
    switch (value.kind) {
      case 'variable':
        return variables[value.name];
      case 'list':
        return value.values.map(resolve);
      case 'object':
        return Object.fromEntries([...value.fields].map(([k, v]) => [k, resolve(v)]));
      default:
        return constant(value);
    }
  };
  return Object.fromEntries([...field.args].map(([k, v]) => [k, resolve(v)]));
}

/** The root fields of an operation (fragments flattened). */
export function rootFields(prepared: PreparedOperation): GqlField[] {
  const out: GqlField[] = [];
  const walk = (selections: readonly GqlSelection[]) => {
    for (const s of selections) {
      if (s.kind === 'field') out.push(s);
      else if (s.kind === 'inline') walk(s.selections);
      else walk(prepared.fragments.get(s.name)?.selections ?? []);
    }
  };
  walk(prepared.operation.selections);
  return out;
}

/** A resolved field value, or the sentence(s) of a field error (a changeset gives one per problem). */
export type Resolved = { readonly value: unknown } | { readonly error: string | readonly string[] };

const fieldErrors = (
  error: string | readonly string[],
  loc: Location,
  path: (string | number)[],
): GqlError[] =>
  (typeof error === 'string' ? [error] : error).map((message) => ({
    message,
    locations: [loc],
    path,
  }));

/**
 * A source object for projection. Fields are plain properties, or functions of the field's
 * arguments (computed fields such as `chatMessages(last:)`). Interface values carry `__typename`.
 */
export type Source = Readonly<Record<string, unknown>>;

/** Projects `value` of `type` onto `selections`, collecting field errors (with paths). */
export function project(
  value: unknown,
  type: string,
  selections: readonly GqlSelection[] | undefined,
  prepared: PreparedOperation,
  path: (string | number)[],
  loc: Location,
  errors: GqlError[],
): unknown {
  if (value === null || value === undefined) {
    if (isNonNull(type))
      errors.push({
        message: `Cannot return null for non-nullable field.`,
        locations: [loc],
        path,
      });
    return null;
  }
  const inner = nullable(type);
  if (inner.startsWith('[')) {
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, index) =>
      project(item, inner.slice(1, -1), selections, prepared, [...path, index], loc, errors),
    );
  }
  if (SCALARS.has(inner)) return inner === 'ID' ? String(value) : value;
  const source = value as Source;
  const concrete = SCHEMA[inner]?.kind === 'interface' ? String(source.__typename ?? inner) : inner;
  const out: Record<string, unknown> = {};
  const collect = (list: readonly GqlSelection[]) => {
    for (const s of list) {
      if (s.kind === 'inline') {
        if (!s.typeCondition || s.typeCondition === concrete || s.typeCondition === inner)
          collect(s.selections);
        continue;
      }
      if (s.kind === 'spread') {
        const fragment = prepared.fragments.get(s.name);
        if (fragment && (fragment.typeCondition === concrete || fragment.typeCondition === inner))
          collect(fragment.selections);
        continue;
      }
      const key = s.alias ?? s.name;
      if (s.name === '__typename') {
        out[key] = concrete;
        continue;
      }
      const definition = SCHEMA[concrete]?.fields[s.name] ?? SCHEMA[inner]?.fields[s.name];
      if (!definition) continue;
      const raw = source[s.name];
      const resolved: Resolved =
        typeof raw === 'function'
          ? (raw as (args: Record<string, unknown>) => Resolved)(
              argumentValues(s, prepared.variables),
            )
          : { value: raw };
      if ('error' in resolved) {
        errors.push(...fieldErrors(resolved.error, s.loc, [...path, key]));
        out[key] = null;
      } else
        out[key] = project(
          resolved.value,
          definition.type,
          s.selections,
          prepared,
          [...path, key],
          s.loc,
          errors,
        );
    }
  };
  collect(selections ?? []);
  return out;
}

/** Executes a query or mutation: `resolveRoot` answers each root field. */
export function execute(
  prepared: PreparedOperation,
  resolveRoot: (field: GqlField, args: Record<string, unknown>) => Resolved,
): { data: Record<string, unknown>; errors?: GqlError[] } {
  const errors: GqlError[] = [];
  const data: Record<string, unknown> = {};
  const rootType = SCHEMA[ROOT_TYPES[prepared.operation.operation]]!;
  for (const field of rootFields(prepared)) {
    const key = field.alias ?? field.name;
    if (field.name === '__typename') {
      data[key] = ROOT_TYPES[prepared.operation.operation];
      continue;
    }
    const resolved = resolveRoot(field, argumentValues(field, prepared.variables));
    if ('error' in resolved) {
      errors.push(...fieldErrors(resolved.error, field.loc, [key]));
      data[key] = null;
    } else
      data[key] = project(
        resolved.value,
        rootType.fields[field.name]!.type,
        field.selections,
        prepared,
        [key],
        field.loc,
        errors,
      );
  }
  return errors.length > 0 ? { data, errors } : { data };
}
