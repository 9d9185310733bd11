/**
 * Buffered, backpressure-aware text sinks for the demo data generator: lines are copied into large
 * Buffers (no per-line writes, no giant concatenated strings) and written in big chunks, optionally
 * through gzip level 1.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip, type ZlibOptions } from 'node:zlib';

/** Chunks that may be queued in a sink's stream before flush() waits. */
const MAX_INFLIGHT = 4;

export class TextSink {
  private buf: Buffer;
  private pos = 0;
  /** Completed buffers not yet handed to the stream (when a person overflows the current one). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Completion of the chunks handed to the stream and not yet processed, oldest first. */
  private inflight: Array<Promise<void>> = [];
  private failure: unknown = null;
  private readonly done: Promise<void>;
  private readonly head: Writable;

  /** Opens `path` for writing; gzip (level 1) when `gzip` is true. `chunkBytes` is the flush threshold. */
  constructor(readonly path: string, gzip: boolean, private readonly chunkBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunkBytes + (chunkBytes >> 3));
    // Backpressure is handled by flush() with write callbacks (at most MAX_INFLIGHT chunks queued,
    // waiting for the oldest only), so generating overlaps compressing (on the libuv thread pool)
    // and writing; a high highWaterMark keeps the streams from signalling it a second time.
    const highWaterMark = chunkBytes * (MAX_INFLIGHT + 2);
    const file = createWriteStream(path, { highWaterMark });
    if (gzip) {
      // zlib streams are Transforms and honour highWaterMark, though ZlibOptions does not declare it.
      // A large chunkSize (output buffer) lets one thread-pool job compress a whole chunk.
      const gzOptions: ZlibOptions & { highWaterMark: number } = { level: 1, highWaterMark, chunkSize: 512 * 1024 };
      const gz = createGzip(gzOptions);
      this.head = gz;
      this.done = pipeline(gz, file);
    } else {
      this.head = file;
      this.done = finished(file);
    }
    // Remember the failure; it is rethrown by flush() / close() rather than left unhandled.
    this.done.catch((err: unknown) => {
      this.failure = err ?? new Error(`write to ${path} failed`);
    });
  }

  /** Appends text (the caller includes the newline). */
  push(text: string): void {
    // text.length * 3 bounds its UTF-8 size, so the write below never truncates.
    if (this.pos + text.length * 3 > this.buf.length) this.rotate(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  private rotate(need: number): void {
    if (this.pos > 0) {
      this.pending.push(this.buf.subarray(0, this.pos));
      this.pendingBytes += this.pos;
    }
    this.buf = Buffer.allocUnsafe(Math.max(need, this.chunkBytes + (this.chunkBytes >> 3)));
    this.pos = 0;
  }

  /** True when enough is buffered that it should be flushed. */
  get full(): boolean {
    return this.pos + this.pendingBytes >= this.chunkBytes;
  }

  private write(chunk: Buffer): void {
    const written = new Promise<void>((resolve, reject) => {
      this.head.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
    written.catch(() => undefined); // reported through `done` / failure
    this.inflight.push(written);
  }

  /** Hands the buffered bytes to the stream; waits while too many chunks are still queued. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    for (const chunk of this.pending) this.write(chunk);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.pos > 0) {
      // The stream keeps the chunk until written: give it this buffer and start a fresh one.
      this.write(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(this.chunkBytes + (this.chunkBytes >> 3));
      this.pos = 0;
    }
    // Yield once to the event loop so completed writes / compression jobs are picked up and the next
    // ones start: the generator is otherwise synchronous between flushes.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.inflight.length > MAX_INFLIGHT) {
      await Promise.race([this.inflight.shift(), this.done]);
      if (this.failure) throw this.failure;
    }
    if (this.failure) throw this.failure;
  }

  /** Flushes, ends the stream and waits until the file is fully written. */
  async close(): Promise<void> {
    await this.flush();
    this.inflight = [];
    this.head.end();
    await this.done;
    if (this.failure) throw this.failure;
  }

  /** Abandons the file on error (best effort). */
  destroy(): void {
    this.head.destroy();
  }
}
