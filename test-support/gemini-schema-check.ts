/**
 * Gemini's own check of a `Schema` in a request (function `parameters`, `responseSchema`), as the
 * API answers it: an unknown field is `Invalid JSON payload received. Unknown name "x" at 'path':
 * Cannot find field.` and an OBJECT without properties `should be non-empty for OBJECT type`
 * (https://ai.google.dev/api/caching#Schema; js-genai `Schema` lists the fields).
 */
const SCHEMA_FIELDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);
const TYPES = new Set(['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);

/** The first problem, in Gemini's words, or undefined when the schema is one Gemini takes. */
export function geminiSchemaProblem(schema: unknown, path: string, request = 'GenerateContentRequest'): string | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return `Invalid value at '${path}': expected an object`;
  const record = schema as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!SCHEMA_FIELDS.has(key)) return `Invalid JSON payload received. Unknown name "${key}" at '${path}': Cannot find field.`;
  }
  const type = record.type;
  if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type.toUpperCase()))) {
    return `Invalid value at '${path}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(type)}`;
  }
  const snake = path.replaceAll('functionDeclarations', 'function_declarations');
  if (typeof type === 'string' && type.toUpperCase() === 'OBJECT') {
    const properties = record.properties;
    if (typeof properties !== 'object' || properties === null || Object.keys(properties).length === 0) {
      return `* ${request}.${snake}.properties: should be non-empty for OBJECT type\n`;
    }
  }
  if (record.enum !== undefined && (!Array.isArray(record.enum) || record.enum.some((value) => typeof value !== 'string'))) {
    return `Invalid value at '${path}.enum': only strings are allowed`;
  }
  if (typeof record.properties === 'object' && record.properties !== null) {
    for (const [name, property] of Object.entries(record.properties)) {
      const problem = geminiSchemaProblem(property, `${path}.properties[${name}]`, request);
      if (problem !== undefined) return problem;
    }
    for (const name of Array.isArray(record.required) ? record.required : []) {
      if (!(String(name) in record.properties)) return `* ${request}.${snake}.required[${String(name)}]: property is not defined\n`;
    }
  }
  if (record.items !== undefined) {
    const problem = geminiSchemaProblem(record.items, `${path}.items`, request);
    if (problem !== undefined) return problem;
  }
  if (Array.isArray(record.anyOf)) {
    for (const [index, option] of record.anyOf.entries()) {
      const problem = geminiSchemaProblem(option, `${path}.any_of[${index}]`, request);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
