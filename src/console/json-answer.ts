/**
 * A JSON answer of the console with its length: a check-in's answer is
 * under 200 bytes, and with the length known the server sends it as it is
 * instead of compressing it (compression skips bodies under 1 kB only when
 * it knows their size; brotli on each tiny answer was a sixth of a busy
 * desk's server time, docs/benchmarks.md "Organisers' console").
 */
export function jsonAnswer(body: unknown, status = 200): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) },
  });
}
