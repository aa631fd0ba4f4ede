import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../canonical/gateway-error.ts';
import { convertJsonSchemaToGemini } from './convert-json-schema-to-gemini.ts';

const convert = (schema: Record<string, unknown>) => convertJsonSchemaToGemini(schema, "tool 'lookup'", 'tools');

function refusal(schema: Record<string, unknown>): GatewayError {
  try {
    convert(schema);
  } catch (error) {
    assert.ok(error instanceof GatewayError);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('convertJsonSchemaToGemini', () => {
  it('converts types, descriptions, required and bounds, keeping the property order', () => {
    const { schema, dropped } = convert({
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name', minLength: 1, maxLength: 80, pattern: '^[A-Z]' },
        days: { type: 'integer', minimum: 1, maximum: 14, default: 3 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 5 },
      },
      required: ['city'],
    });
    assert.deepEqual(dropped, []);
    assert.deepEqual(schema, {
      type: 'OBJECT',
      properties: {
        city: { type: 'STRING', description: 'City name', minLength: '1', maxLength: '80', pattern: '^[A-Z]' },
        days: { type: 'INTEGER', minimum: 1, maximum: 14, default: 3 },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, minItems: '1', maxItems: '5' },
      },
      propertyOrdering: ['city', 'days', 'tags'],
      required: ['city'],
    });
  });

  it('leaves parameters out for a tool with no arguments', () => {
    assert.deepEqual(convert({ type: 'object', properties: {} }), { schema: undefined, dropped: [] });
    assert.deepEqual(convert({ type: 'object', additionalProperties: false }), { schema: undefined, dropped: [] });
  });

  it('drops additionalProperties: false silently (Gemini objects are closed) and declares a schema for extra properties', () => {
    const closed = convert({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false });
    assert.deepEqual(closed.dropped, []);
    assert.equal('additionalProperties' in (closed.schema ?? {}), false);
    const open = convert({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'number' } });
    assert.deepEqual(open.dropped, [{ path: 'parameters.additionalProperties', reason: 'Gemini objects hold only their declared properties' }]);
  });

  it('inlines $ref from $defs and definitions, and refuses a recursive one naming the keyword and the tool', () => {
    const { schema } = convert({
      type: 'object',
      properties: { home: { $ref: '#/$defs/address' }, work: { $ref: '#/definitions/address', description: 'Office' } },
      $defs: { address: { type: 'object', properties: { street: { type: 'string' } } } },
      definitions: { address: { type: 'object', properties: { street: { type: 'string' } } } },
    });
    assert.deepEqual(schema?.properties?.home, { type: 'OBJECT', properties: { street: { type: 'STRING' } }, propertyOrdering: ['street'] });
    assert.equal(schema?.properties?.work?.description, 'Office');
    const error = refusal({ type: 'object', properties: { node: { $ref: '#/$defs/node' } }, $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } } });
    assert.equal(error.status, 400);
    assert.equal(error.param, 'tools');
    assert.match(error.message, /^tool 'lookup': JSON Schema keyword '\$ref' at parameters\.properties\.node\.properties\.next is not supported by Gemini: refers to itself/);
    assert.match(refusal({ type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }).message, /keyword '\$ref'.*not a definition/);
  });

  it('keeps the formats Gemini takes and moves the others into the description, declared', () => {
    const { schema, dropped } = convert({
      type: 'object',
      properties: { when: { type: 'string', format: 'date-time' }, mail: { type: 'string', format: 'email', description: 'Address' }, n: { type: 'number', format: 'double' } },
    });
    assert.deepEqual(schema?.properties?.when, { type: 'STRING', format: 'date-time' });
    assert.deepEqual(schema?.properties?.mail, { type: 'STRING', description: 'Address Format: email.' });
    assert.equal(schema?.properties?.n?.format, 'double');
    assert.deepEqual(dropped.map((entry) => entry.path), ['parameters.properties.mail.format']);
  });

  it('turns nullable type lists, const, oneOf and anyOf-with-null into what Gemini has', () => {
    const { schema, dropped } = convert({
      type: 'object',
      properties: {
        note: { type: ['string', 'null'] },
        kind: { const: 'fixed' },
        unit: { enum: ['c', 'f', null] },
        either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        maybe: { anyOf: [{ type: 'integer' }, { type: 'null' }], description: 'count' },
      },
    });
    assert.deepEqual(schema?.properties?.note, { type: 'STRING', nullable: true });
    assert.deepEqual(schema?.properties?.kind, { type: 'STRING', enum: ['fixed'] });
    assert.deepEqual(schema?.properties?.unit, { type: 'STRING', enum: ['c', 'f'], nullable: true });
    assert.deepEqual(schema?.properties?.either, { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] });
    assert.deepEqual(schema?.properties?.maybe, { type: 'INTEGER', description: 'count', nullable: true });
    assert.deepEqual(dropped.map((entry) => entry.path), ['parameters.properties.either.oneOf']);
  });

  it('keeps a numeric enum as words in the description, declared', () => {
    const { schema, dropped } = convert({ type: 'object', properties: { level: { type: 'integer', enum: [1, 2, 3] } } });
    assert.deepEqual(schema?.properties?.level, { type: 'INTEGER', description: 'One of: 1, 2, 3.' });
    assert.equal(dropped[0]?.path, 'parameters.properties.level.enum');
  });

  it('merges an allOf of objects, and refuses one that is not', () => {
    const { schema } = convert({ allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } } }] });
    assert.deepEqual(schema, { type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'NUMBER' } }, propertyOrdering: ['a', 'b'], required: ['a'] });
    assert.match(refusal({ type: 'object', properties: { s: { allOf: [{ type: 'string' }, { minLength: 2 }] } } }).message, /keyword 'allOf' at parameters\.properties\.s/);
  });

  it('drops constraints Gemini lacks, declared, and ignores annotations', () => {
    const { schema, dropped } = convert({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'x',
      type: 'object',
      properties: { n: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 }, list: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
    });
    assert.deepEqual(schema?.properties?.n, { type: 'NUMBER' });
    assert.deepEqual(
      dropped.map((entry) => entry.path),
      ['parameters.properties.n.exclusiveMinimum', 'parameters.properties.n.multipleOf', 'parameters.properties.list.uniqueItems'],
    );
  });

  it('refuses what Gemini cannot express, naming the keyword and the tool', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'object', properties: { meta: { type: 'object', additionalProperties: true } } }, "'additionalProperties' at parameters.properties.meta"],
      [{ type: 'object', properties: { meta: { type: 'object' } } }, "'properties' at parameters.properties.meta"],
      [{ type: 'object', properties: { a: { type: 'string', not: { const: 'x' } } } }, "'not' at parameters.properties.a"],
      [{ type: 'object', patternProperties: { '^x': { type: 'string' } }, properties: { a: { type: 'string' } } }, "'patternProperties' at parameters"],
      [{ type: 'object', properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }] } } }, "'prefixItems' at parameters.properties.pair"],
      [{ type: 'object', properties: { v: { type: ['string', 'number'] } } }, "'type' at parameters.properties.v"],
      [{ type: 'object', properties: { v: { type: 'date' } } }, "'type' at parameters.properties.v"],
    ];
    for (const [schema, expected] of cases) {
      const error = refusal(schema);
      assert.equal(error.kind, 'invalid_request');
      assert.ok(error.message.startsWith("tool 'lookup': JSON Schema keyword " + expected), error.message);
    }
  });
});
