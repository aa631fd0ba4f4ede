import type { SeededRandom } from './seeded-random.ts';

/** One fuzz case: the bytes sent, their content type (undefined: none), and what was done. */
export interface FuzzCase {
  body: Buffer;
  contentType: string | undefined;
  mutations: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const LETTERS = 'ACGTacgtXYZ';
const MODEL_NAMES = ['cerebras/日本語', 'poebot/Bot\r\nX-Evil: 1', 'poebot/Ünïcödé', 'scripted/😀', '', ' ', '%', '../../etc/passwd', 'a'.repeat(5000), 'cerebras/', '/m', 'scripted/m\u0000'];
const CONTENT_TYPES = [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', 'image/png'];

/** A long run of letters with no break, the kind of text that made the tokenizer super-linear. */
function longRun(random: SeededRandom): string {
  const length = random.pick([1_000, 20_000, 100_000, 300_000]);
  let text = '';
  const unit = Array.from({ length: 64 }, () => random.pick([...LETTERS])).join('');
  while (text.length < length) text += unit;
  return text.slice(0, length);
}

/** A document nested `depth` levels deep, as JSON text (JSON.stringify itself would overflow). */
function deepText(depth: number, random: SeededRandom): string {
  const open = random.chance(0.5) ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + '1' + close.repeat(depth);
}

function extremeValue(random: SeededRandom): Json {
  return random.pick<Json>([null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e-320, '', 'x', '-1', 'NaN', [], {}, [null], { '': null }, Array.from({ length: 5000 }, (_, index) => index), 'ü'.repeat(70_000)]);
}

function pathsOf(value: Json, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], into));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], into);
  return into;
}

function parentOf(root: Json, path: Path): { parent: Json[] | Record<string, Json>; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let node: Json = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string, Json>)[step as string] as Json;
  return { parent: node as Json[] | Record<string, Json>, key: path[path.length - 1] as string | number };
}

/** Sets an own property, even `__proto__`, so it is serialized rather than changing the prototype. */
function setOwn(target: Json[] | Record<string, Json>, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function removeAt(list: Json[], index: number): void {
  for (let at = index; at < list.length - 1; at++) list[at] = list[at + 1] as Json;
  list.length -= 1;
}

const MARKER = '"@@llmux-fuzz-deep@@"';

/**
 * A structure-aware mutation of a valid request: 0–3 of wrong types, nulls, extreme numbers, removed
 * fields, `__proto__`/`constructor` keys, long runs, hostile model names, deep nesting; then
 * sometimes damage to the bytes (invalid UTF-8, lone surrogates, truncation) or a wrong content type.
 */
export function mutateRequest(seed: Record<string, unknown>, random: SeededRandom): FuzzCase {
  let root = structuredClone(seed) as Json;
  const mutations: string[] = [];
  let deep: string | undefined;
  const count = random.pick([0, 1, 1, 1, 2, 2, 3]);
  for (let round = 0; round < count; round++) {
    const paths = pathsOf(root);
    const path = random.pick(paths);
    const place = parentOf(root, path);
    const where = path.join('.') || '(body)';
    const kind = random.pick(['type', 'type', 'delete', 'proto', 'long', 'model', 'deep', 'unknown'] as const);
    if (kind === 'model' && root !== null && typeof root === 'object' && !Array.isArray(root)) {
      const name = random.pick(MODEL_NAMES);
      root.model = name;
      mutations.push(`model=${JSON.stringify(name.slice(0, 40))}`);
    } else if (kind === 'proto') {
      const target = place === undefined ? root : (place.parent as Record<string, Json>)[place.key as string];
      if (target !== null && typeof target === 'object') {
        const key = random.pick(['__proto__', 'constructor', 'prototype']);
        setOwn(target, key, random.pick<Json>([{ polluted: true }, { prototype: { polluted: true } }, 'x', null]));
        mutations.push(`${where}.${key}`);
      }
    } else if (kind === 'deep') {
      const depth = random.pick([64, 511, 512, 513, 2_000, 10_001]);
      deep = deepText(depth, random);
      if (place === undefined) root = JSON.parse(MARKER) as Json;
      else setOwn(place.parent, place.key, JSON.parse(MARKER) as Json);
      mutations.push(`${where}=deep(${depth})`);
    } else if (place === undefined) {
      root = kind === 'type' ? extremeValue(random) : root;
      mutations.push(`(body)=${kind}`);
    } else if (kind === 'delete') {
      // No splice: an array may carry an own `constructor` from an earlier mutation.
      if (Array.isArray(place.parent)) removeAt(place.parent, place.key as number);
      else delete place.parent[place.key as string];
      mutations.push(`delete ${where}`);
    } else if (kind === 'long') {
      setOwn(place.parent, place.key, longRun(random));
      mutations.push(`${where}=long-run`);
    } else if (kind === 'unknown') {
      const target = (place.parent as Record<string, Json>)[place.key as string];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) setOwn(target, random.pick(['x_unknown', 'extra', 'logprobs', 'n', 'raw', 'top_k', 'ключ\r\nX-Evil: 1', 'k'.repeat(3000), 'a,b']), extremeValue(random));
      mutations.push(`${where}+unknown`);
    } else {
      setOwn(place.parent, place.key, extremeValue(random));
      mutations.push(`${where}=extreme`);
    }
  }
  let text = JSON.stringify(root) ?? 'null';
  if (deep !== undefined) text = text.replaceAll(MARKER, deep);
  let body = Buffer.from(text, 'utf8');
  const damage = random.int(0, 9);
  if (damage === 0) {
    const at = random.int(0, body.length);
    body = Buffer.concat([body.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3]), body.subarray(at)]);
    mutations.push('invalid-utf8');
  } else if (damage === 1) {
    body = Buffer.from(text.replace(/"([^"\\]{0,20})"/, '"$1\\ud800"'), 'utf8');
    mutations.push('lone-surrogate');
  } else if (damage === 2) {
    body = body.subarray(0, random.int(0, body.length));
    mutations.push('truncated');
  }
  let contentType: string | undefined = 'application/json';
  if (random.chance(0.1)) {
    contentType = random.pick(CONTENT_TYPES);
    mutations.push(`content-type=${contentType ?? 'none'}`);
  }
  return { body, contentType, mutations };
}
