import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinReplica } from '../db/replicas.ts';
import type { Database } from '../db/client.ts';
import {
  ExportParameterError,
  exportETag,
  exportFileNames,
  findExport,
  parseExportParameters,
} from '../modules/exports/exports.service.ts';
import { HttpError, type HttpRoute } from './http-server.ts';

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * GET /exports/<name>.<extension>: a bulk export as a download (src/modules/exports). Public data
 * only, so no credentials are read. The body is streamed batch by batch; an ETag over the data's
 * fingerprint lets a client or CDN revalidate for the price of one small query (304).
 */
export function exportsRoute(database: Database, defaultJurisdiction: string, logger: Logger): HttpRoute {
  return async (req, res, url, requestId) => {
    if (!url.pathname.startsWith('/exports/')) return false;
    // One replica answers the parameters, the ETag and every batch of the stream.
    const db = pinReplica(database);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      throw new HttpError(405, 'Exports are read with GET');
    }
    const fileName = url.pathname.slice('/exports/'.length);
    const definition = findExport(fileName);
    if (!definition) throw new HttpError(404, `No export named "${fileName.slice(0, 60)}"; exports: ${exportFileNames().join(', ')}`);

    let parameters;
    try {
      parameters = await parseExportParameters(db, definition, url.searchParams, defaultJurisdiction);
    } catch (error) {
      if (error instanceof ExportParameterError) throw new HttpError(400, error.message);
      throw error;
    }
    const etag = await exportETag(db, definition, parameters);
    const headers = {
      'content-type': definition.contentType,
      'content-disposition': `attachment; filename="${parameters.jurisdiction.slug}-${definition.name}.${definition.extension}"`,
      etag,
      // Public data: any cache may keep it, but must ask again each time (a cheap 304 while unchanged).
      'cache-control': 'public, no-cache',
    };
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    try {
      for await (const chunk of definition.chunks(db, parameters)) {
        // Respect back-pressure: a slow client never makes the server buffer the whole export.
        if (!res.write(chunk)) await drainedOrClosed(res);
        if (res.destroyed) return true;
      }
      res.end();
    } catch (error) {
      // Headers are gone: cut the connection so the client sees a truncated download, not a short file.
      logger.error({ err: error, requestId, export: fileName }, 'export failed while streaming');
      res.destroy();
    }
    return true;
  };
}
