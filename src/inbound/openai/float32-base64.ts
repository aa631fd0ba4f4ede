/** `encoding_format: base64`: a vector as little-endian float32 bytes in base64, as OpenAI sends it. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index] ?? 0, index * 4);
  return bytes.toString('base64');
}
