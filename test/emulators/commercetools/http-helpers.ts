import type { ServerResponse } from 'node:http';
import { sendJson, type RequestRecord } from '../shared/http-server.js';

export interface RecordedRequest extends RequestRecord {
  host: 'auth' | 'api';
  status?: number;
}

export interface RouteResult {
  status: number;
  /** Serialised as JSON; undefined sends an empty body. */
  body?: unknown;
}

export function send(res: ServerResponse, result: RouteResult): void {
  if (result.body === undefined) {
    res.writeHead(result.status, { 'content-length': '0' });
    res.end();
    return;
  }
  sendJson(res, result.status, result.body);
}
