const loopbackNames: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * True for a loopback host name (`localhost`, `127.0.0.0/8`, `::1`): the only
 * hosts a relying party may reach over plain http (the dev provider), since
 * nothing sent to them crosses a network.
 */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackNames.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** True when the URL is https, or plain http to a loopback host. */
export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
