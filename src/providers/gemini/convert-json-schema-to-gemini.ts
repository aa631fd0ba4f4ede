import { GatewayError } from '../../canonical/gateway-error.ts';
import type { GeminiSchema } from './gemini-request-body.ts';

/** A keyword left out of the converted schema, with why: declared to the client as degraded. */
export interface DroppedSchemaKeyword {
  /** Where it was: `parameters.properties.when.format`. */
  path: string;
  reason: string;
}

export interface GeminiSchemaConversion {
  /** Undefined for an object with no properties at the top: Gemini wants `parameters` left out then. */
  schema: GeminiSchema | undefined;
  dropped: DroppedSchemaKeyword[];
}

type JsonSchema = Record<string, unknown>;

const GEMINI_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
/** Formats Gemini's Schema accepts, by type (https://ai.google.dev/api/caching#Schema). */
const GEMINI_FORMATS: Record<string, readonly string[]> = { STRING: ['enum', 'date-time'], NUMBER: ['float', 'double'], INTEGER: ['int32', 'int64'] };
/** Annotations with no meaning for the model; left out without a word. */
const SILENT = new Set(['$schema', '$id', '$comment', '$anchor', '$defs', 'definitions', 'strict']);
/** Constraints Gemini's Schema has no field for; the model is no longer held to them. */
const DROPPED: Record<string, string> = {
  exclusiveMinimum: 'Gemini schemas have no exclusive bounds',
  exclusiveMaximum: 'Gemini schemas have no exclusive bounds',
  multipleOf: 'Gemini schemas have no multipleOf',
  uniqueItems: 'Gemini schemas have no uniqueItems',
  readOnly: 'Gemini schemas have no readOnly',
  writeOnly: 'Gemini schemas have no writeOnly',
  deprecated: 'Gemini schemas have no deprecated',
  contentEncoding: 'Gemini schemas have no contentEncoding',
  contentMediaType: 'Gemini schemas have no contentMediaType',
};
/** Keywords whose loss would let the model produce what the schema forbids, or that Gemini cannot express at all. */
const REFUSED = new Set([
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'dependentRequired',
  'dependencies',
  'prefixItems',
  'additionalItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  '$dynamicRef',
  '$recursiveRef',
]);

/**
 * A JSON Schema (as OpenAI, Anthropic and Ollama clients send for tools and structured output) in
 * the OpenAPI subset Gemini accepts. What has an equivalent is converted (`$ref` inlined, `oneOf`
 * as `anyOf`, `const` as a one-value `enum`, `["string","null"]` as `nullable`); what only
 * constrains is dropped and reported; what cannot be expressed (recursion, `not`,
 * `patternProperties`, free-form nested objects, …) is a 400 naming the keyword and `owner`.
 */
export function convertJsonSchemaToGemini(root: JsonSchema, owner: string, param: string, rootPath = 'parameters'): GeminiSchemaConversion {
  const converter = new SchemaConverter(root, owner, param);
  const topLevelEmptyObject = isObjectSchema(root) && !hasProperties(root) && root.additionalProperties !== true && !isRecord(root.additionalProperties);
  if (topLevelEmptyObject && root.anyOf === undefined && root.oneOf === undefined && root.allOf === undefined && root.$ref === undefined) {
    return { schema: undefined, dropped: [] };
  }
  const schema = converter.convert(root, rootPath, []);
  return { schema, dropped: converter.dropped };
}

class SchemaConverter {
  readonly dropped: DroppedSchemaKeyword[] = [];
  private readonly root: JsonSchema;
  private readonly owner: string;
  private readonly param: string;

  constructor(root: JsonSchema, owner: string, param: string) {
    this.root = root;
    this.owner = owner;
    this.param = param;
  }

  convert(input: JsonSchema, path: string, refs: readonly string[]): GeminiSchema {
    let source = input;
    let seen = refs;
    if (typeof source.$ref === 'string') {
      const ref = source.$ref;
      if (seen.includes(ref)) this.refuse('$ref', path, `refers to itself (${ref}); Gemini schemas cannot be recursive`);
      const { $ref: _ref, ...siblings } = source;
      source = { ...this.resolve(ref, path), ...siblings };
      seen = [...seen, ref];
    }
    if (Array.isArray(source.allOf)) source = this.mergeAllOf(source, path);
    const out: GeminiSchema = {};
    for (const keyword of Object.keys(source)) {
      if (SILENT.has(keyword) || keyword.startsWith('x-')) continue;
      if (REFUSED.has(keyword)) this.refuse(keyword, path, 'Gemini schemas cannot express it');
      const reason = DROPPED[keyword];
      if (reason !== undefined) this.drop(`${path}.${keyword}`, reason);
    }
    this.convertType(source, out, path);
    if (typeof source.title === 'string') out.title = source.title;
    if (typeof source.description === 'string') out.description = source.description;
    this.convertEnum(source, out, path);
    this.convertFormat(source, out, path);
    if (source.nullable === true) out.nullable = true;
    for (const [from, to] of [
      ['minItems', 'minItems'],
      ['maxItems', 'maxItems'],
      ['minLength', 'minLength'],
      ['maxLength', 'maxLength'],
      ['minProperties', 'minProperties'],
      ['maxProperties', 'maxProperties'],
    ] as const) {
      // int64 fields: proto JSON spells them as strings.
      if (typeof source[from] === 'number') out[to] = String(source[from]);
    }
    if (typeof source.minimum === 'number') out.minimum = source.minimum;
    if (typeof source.maximum === 'number') out.maximum = source.maximum;
    if (typeof source.pattern === 'string') out.pattern = source.pattern;
    if ('default' in source) out.default = source.default;
    if ('example' in source) out.example = source.example;
    else if (Array.isArray(source.examples) && source.examples.length > 0) out.example = source.examples[0];
    if (isRecord(source.items)) out.items = this.convert(source.items, `${path}.items`, seen);
    else if (Array.isArray(source.items)) this.refuse('items', path, 'a tuple (an array of item schemas) cannot be expressed');
    this.convertObject(source, out, path, seen);
    this.convertAlternatives(source, out, path, seen);
    return out;
  }

  private convertType(source: JsonSchema, out: GeminiSchema, path: string): void {
    const type = source.type;
    let types: string[] = [];
    if (typeof type === 'string') types = [type];
    else if (Array.isArray(type)) types = type.filter((entry): entry is string => typeof entry === 'string');
    else if (type !== undefined) this.refuse('type', path, 'expected a type name or a list of them');
    for (const name of types) if (!GEMINI_TYPES.has(name)) this.refuse('type', path, `unknown type '${name}'`);
    if (types.includes('null') && types.length > 1) {
      out.nullable = true;
      types = types.filter((name) => name !== 'null');
    }
    if (types.length > 1) this.refuse('type', path, `a value of several types (${types.join(', ')}) cannot be expressed; use anyOf`);
    const single = types[0];
    if (single !== undefined) out.type = single.toUpperCase() as NonNullable<GeminiSchema['type']>;
    else if (hasProperties(source)) out.type = 'OBJECT';
    else if (source.items !== undefined) out.type = 'ARRAY';
  }

  private convertEnum(source: JsonSchema, out: GeminiSchema, path: string): void {
    let values: unknown[] | undefined = Array.isArray(source.enum) ? source.enum : undefined;
    if ('const' in source) values = [source.const];
    if (values === undefined) return;
    if (values.includes(null)) {
      out.nullable = true;
      values = values.filter((value) => value !== null);
    }
    if (values.every((value) => typeof value === 'string')) {
      out.enum = values as string[];
      if (out.type === undefined) out.type = 'STRING';
      else if (out.type !== 'STRING') this.refuse('enum', path, `Gemini allows enum only on strings, this is ${out.type.toLowerCase()}`);
      return;
    }
    // Gemini enums are strings only: the allowed values stay in the description.
    const list = values.map((value) => JSON.stringify(value)).join(', ');
    out.description = appendSentence(out.description, `One of: ${list}.`);
    this.drop(`${path}.${'const' in source ? 'const' : 'enum'}`, 'Gemini allows enum only on strings; the values are in the description');
  }

  private convertFormat(source: JsonSchema, out: GeminiSchema, path: string): void {
    if (typeof source.format !== 'string') return;
    const allowed = out.type === undefined ? undefined : GEMINI_FORMATS[out.type];
    if (allowed?.includes(source.format) === true) {
      out.format = source.format;
      return;
    }
    out.description = appendSentence(out.description, `Format: ${source.format}.`);
    this.drop(`${path}.format`, `Gemini does not take format '${source.format}' here; it is in the description`);
  }

  private convertObject(source: JsonSchema, out: GeminiSchema, path: string, refs: readonly string[]): void {
    const extra = source.additionalProperties;
    if (!hasProperties(source)) {
      if (out.type === 'OBJECT' && source.anyOf === undefined && source.oneOf === undefined) {
        const keyword = extra === undefined || extra === false ? 'properties' : 'additionalProperties';
        this.refuse(keyword, path, 'an object with no declared properties (free-form) cannot be expressed; Gemini objects need properties');
      }
      return;
    }
    const properties = source.properties as Record<string, unknown>;
    out.properties = {};
    for (const [name, value] of Object.entries(properties)) {
      if (!isRecord(value)) {
        if (value === true) this.refuse('properties', `${path}.properties.${name}`, 'a property of any value (true) cannot be expressed');
        continue;
      }
      out.properties[name] = this.convert(value, `${path}.properties.${name}`, refs);
    }
    // Gemini answers in declaration order only when told (propertyOrdering); keep the client's.
    out.propertyOrdering = Object.keys(out.properties);
    if (Array.isArray(source.required)) {
      const required = source.required.filter((name): name is string => typeof name === 'string');
      const known = required.filter((name) => name in properties);
      if (known.length < required.length) this.drop(`${path}.required`, `names no declared property: ${required.filter((name) => !(name in properties)).join(', ')}`);
      if (known.length > 0) out.required = known;
    }
    if (extra === true || isRecord(extra)) this.drop(`${path}.additionalProperties`, 'Gemini objects hold only their declared properties');
  }

  private convertAlternatives(source: JsonSchema, out: GeminiSchema, path: string, refs: readonly string[]): void {
    const keyword = Array.isArray(source.anyOf) ? 'anyOf' : Array.isArray(source.oneOf) ? 'oneOf' : undefined;
    if (keyword === undefined) return;
    if (keyword === 'oneOf') this.drop(`${path}.oneOf`, 'sent as anyOf: Gemini cannot require exactly one match');
    const options = (source[keyword] as unknown[]).filter(isRecord);
    const nonNull = options.filter((option) => option.type !== 'null');
    if (nonNull.length < options.length) out.nullable = true;
    const converted = nonNull.map((option, index) => this.convert(option, `${path}.${keyword}[${index}]`, refs));
    if (converted.length === 1 && out.type === undefined && out.properties === undefined) {
      Object.assign(out, { ...converted[0], ...withoutUndefined({ description: out.description, title: out.title, nullable: out.nullable }) });
      return;
    }
    if (converted.length > 0) out.anyOf = converted;
  }

  /** `allOf` of object schemas as one object; anything else cannot be merged faithfully. */
  private mergeAllOf(source: JsonSchema, path: string): JsonSchema {
    const { allOf, ...rest } = source;
    const merged: JsonSchema = { ...rest };
    const properties: Record<string, unknown> = isRecord(rest.properties) ? { ...rest.properties } : {};
    const required = new Set<string>(Array.isArray(rest.required) ? rest.required.filter((name): name is string => typeof name === 'string') : []);
    for (const [index, entry] of (allOf as unknown[]).entries()) {
      if (!isRecord(entry)) continue;
      const part = typeof entry.$ref === 'string' ? { ...this.resolve(entry.$ref, `${path}.allOf[${index}]`), ...entry, $ref: undefined } : entry;
      const onlyObjectKeywords = Object.keys(part).every((key) => ['type', 'properties', 'required', 'description', 'title', 'additionalProperties', '$ref'].includes(key));
      if (!onlyObjectKeywords || (part.type !== undefined && part.type !== 'object')) this.refuse('allOf', path, 'only an allOf of object schemas can be merged into one');
      if (isRecord(part.properties)) Object.assign(properties, part.properties);
      if (Array.isArray(part.required)) for (const name of part.required) if (typeof name === 'string') required.add(name);
      if (merged.description === undefined && typeof part.description === 'string') merged.description = part.description;
    }
    merged.type = 'object';
    merged.properties = properties;
    if (required.size > 0) merged.required = [...required];
    return merged;
  }

  private resolve(ref: string, path: string): JsonSchema {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const table = match === null ? undefined : this.root[match[1] as string];
    const target = match === null || !isRecord(table) ? undefined : table[decodeURIComponent((match[2] as string).replaceAll('~1', '/').replaceAll('~0', '~'))];
    if (!isRecord(target)) this.refuse('$ref', path, `'${ref}' is not a definition in this schema's $defs`);
    return target;
  }

  private drop(path: string, reason: string): void {
    this.dropped.push({ path, reason });
  }

  private refuse(keyword: string, path: string, reason: string): never {
    throw new GatewayError('invalid_request', `${this.owner}: JSON Schema keyword '${keyword}' at ${path} is not supported by Gemini: ${reason}`, { param: this.param });
  }
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasProperties(schema: JsonSchema): boolean {
  return isRecord(schema.properties) && Object.keys(schema.properties).length > 0;
}

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || (schema.type === undefined && schema.properties !== undefined);
}

function appendSentence(text: string | undefined, sentence: string): string {
  return text === undefined || text === '' ? sentence : `${text} ${sentence}`;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}
