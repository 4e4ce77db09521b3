// A real browser (headless Chromium, Debian's package) consumes the legacy HTTP+SSE stream
// with EventSource, from a page on another loopback origin: proof that our SSE framing,
// headers and CORS answers are what browsers accept. Run by `with-server` (MCP_BASE).
import http from 'node:http';
import { chromium } from 'playwright-core';

const base = process.env.MCP_BASE;
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const page = `<!doctype html><title>running</title><script>
const base = ${JSON.stringify(base)};
window.received = [];
const source = new EventSource(base + '/sse');
source.onerror = () => { if (document.title === 'running') document.title = 'error: EventSource failed'; };
source.addEventListener('endpoint', async (event) => {
  const url = new URL(event.data, base);
  source.onmessage = (m) => {
    const message = JSON.parse(m.data);
    window.received.push(message);
    if (message.id === 2) document.title = 'done';
  };
  const post = (body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
                                      body: JSON.stringify(body) });
  try {
    await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05',
                 capabilities: {}, clientInfo: { name: 'browser', version: '1' } } });
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await post({ jsonrpc: '2.0', id: 2, method: 'tools/call',
                 params: { name: 'test_simple_text', arguments: {} } });
  } catch (e) { document.title = 'error: ' + e; }
});
</script>`;

const pages = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(page);
});
await new Promise((resolve) => pages.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${pages.address().port}/`;

const browser = await chromium.launch({
  executablePath: browserPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = 0;
try {
  const tab = await browser.newPage();
  await tab.goto(pageUrl);
  await tab.waitForFunction(() => document.title !== 'running', null, { timeout: 15000 });
  const title = await tab.title();
  const received = await tab.evaluate(() => window.received);
  const init = received.find((m) => m.id === 1);
  const call = received.find((m) => m.id === 2);
  const checks = [
    ['the page finished', title === 'done', title],
    ['initialize arrived as a message event', init?.result?.protocolVersion === '2024-11-05', JSON.stringify(init)],
    ['the tool result arrived as a message event',
     call?.result?.content?.[0]?.text === 'This is a simple text response for testing.', JSON.stringify(call)],
  ];
  for (const [name, ok, detail] of checks) {
    console.log(`${ok ? 'PASS' : 'FAIL'} browser: ${name}${ok ? '' : `: ${detail}`}`);
    if (!ok) failed++;
  }
  console.log(`browser-eventsource: ${checks.length - failed} passed, ${failed} failed`);
} finally {
  await browser.close();
  pages.close();
}
process.exit(failed === 0 ? 0 : 1);
