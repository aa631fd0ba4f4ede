/** A URL safe to print: any `user:password@` removed (a base URL or proxy may carry a secret). */
export function withoutUrlCredentials(url: string): string {
  if (!URL.canParse(url)) return url.replace(/\/\/[^/@]*@/, '//');
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
