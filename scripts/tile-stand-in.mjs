// A stand-in for the map tile server, for the tests and the benchmarks: the
// machines that run them reach no outside host. Every tile is the same plain
// light grey 256×256 PNG.
import { createServer } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

/** @returns {Buffer} the stand-in tile */
export function standInTile() {
  /** @param {string} type @param {Buffer} data */
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(256, 0);
  header.writeUInt32BE(256, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc(257 * 256, 0xe5);
  for (let row = 0; row < 256; row += 1) rows[row * 257] = 0; // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Serves the stand-in tile on a free loopback port, cached for a day as a
 * real tile server's tiles are.
 * @returns {Promise<{ urlTemplate: string, requests: () => number, stop: () => Promise<void> }>}
 *   urlTemplate is a MAP_TILE_URL value for a build
 */
export async function startTileServer() {
  const tile = standInTile();
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    if (!/^\/\d+\/\d+\/\d+\.png$/.test(request.url ?? '')) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'image/png',
      'Content-Length': tile.length,
      'Cache-Control': 'public, max-age=86400',
      'Access-Control-Allow-Origin': '*',
    });
    response.end(tile);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    urlTemplate: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
    requests: () => requests,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
