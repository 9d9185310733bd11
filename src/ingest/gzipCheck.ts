import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RefusedError } from '../errors.js';

/** Whether a file starts with the gzip magic bytes. */
export async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Decompresses a gzip file to nowhere, failing when it is truncated or corrupt. DuckDB's reader
 * accepts a truncated gzip silently, so ingestion runs this check alongside (zlib works on its own thread)
 * and rolls back when it fails.
 */
export async function verifyGzip(path: string): Promise<void> {
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), createGunzip(), new Writable({
    write(_chunk, _enc, done) { done(); },
  }));
}

/**
 * Runs `read` (DuckDB reading the whole file) while a gzip file is checked alongside; refuses the file
 * (nothing of it stored) when either fails, so a truncated or corrupt file never lands half-read.
 */
export async function readWholeFile(file: string, read: () => Promise<void>): Promise<void> {
  const integrity = (await isGzip(file)) ? verifyGzip(file).then(() => null, (err: Error) => err) : Promise.resolve(null);
  try {
    await read();
    const broken = await integrity;
    if (broken) throw broken;
  } catch (err) {
    await integrity;
    throw new RefusedError(`${file}: could not be read to its end; nothing of it was stored (${(err as Error).message.split('\n')[0]})`);
  }
}
