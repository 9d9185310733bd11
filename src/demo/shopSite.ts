import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The demo shop's Pinterest tag id. */
export const DEMO_TAG_ID = '2612345678901';

/**
 * The demo shop's storefront, served on loopback so the tag check has a real page to open: the
 * Pinterest base code (a `pintrk` queue) and a stand-in for Pinterest's script that, like the real
 * one, processes the queue and sets `window.pintrk.tagId` on `pintrk('load', id)`.
 */
export async function startDemoShop(): Promise<{ url: string; close: () => Promise<void> }> {
  const page = `<!doctype html><html><head><title>Acme Outdoor</title>
<script>
  !function(){ if (window.pintrk) return; window.pintrk = function(){ window.pintrk.queue.push(Array.prototype.slice.call(arguments)); };
    window.pintrk.queue = []; window.pintrk.version = '3.0';
    var s = document.createElement('script'); s.async = true; s.src = '/pinit.js'; document.head.appendChild(s); }();
  pintrk('load', '${DEMO_TAG_ID}');
  pintrk('page');
</script></head><body><h1>Acme Outdoor</h1><p>Boots, packs and tents.</p></body></html>`;
  const script = `(function(){ var q = window.pintrk.queue || [];
  function run(args){ if (args[0] === 'load') window.pintrk.tagId = args[1]; }
  window.pintrk = function(){ run(Array.prototype.slice.call(arguments)); };
  window.pintrk.queue = []; q.forEach(run); })();`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/pinit.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' }).end(script);
    } else if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
