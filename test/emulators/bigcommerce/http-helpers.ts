import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestRecord } from '../shared/http-server.js';

export interface RecordedRequest extends RequestRecord {
  /** GraphQL root fields of the executed operation (POST /graphql only). */
  rootFields?: string[];
  operationName?: string;
}

export function sendHtml(res: ServerResponse, status: number, message: string): void {
  const payload = `<!doctype html><html><body><p>${message}</p></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(payload);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(302, { location, ...headers });
  res.end();
}

/** Remote address without the IPv4-mapped IPv6 prefix, e.g. "127.0.0.1". */
export function remoteIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}
