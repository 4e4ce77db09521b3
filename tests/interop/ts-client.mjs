// Interop: the official TypeScript SDK client against our server, over the legacy HTTP+SSE
// transport or Streamable HTTP. Run by `with-server`, which sets MCP_BASE.
//   node ts-client.mjs legacy|streamable
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const mode = process.argv[2];
const base = process.env.MCP_BASE;
let passed = 0;
let failed = 0;

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`PASS ${mode}: ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${mode}: ${name}: ${error?.stack ?? error}`);
  }
}

async function eventually(condition, what, boundMs = 5000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > boundMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const client = new Client(
  { name: 'ts-interop', version: '1.0.0' },
  { capabilities: { sampling: {} } },
);
client.setRequestHandler(CreateMessageRequestSchema, async () => ({
  role: 'assistant',
  content: { type: 'text', text: 'four' },
  model: 'interop',
}));
const updates = [];
client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => updates.push(n.params.uri));

const transport =
  mode === 'legacy'
    ? new SSEClientTransport(new URL(`${base}/sse`))
    : new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        reconnectionOptions: {
          initialReconnectionDelay: 100,
          maxReconnectionDelay: 1000,
          reconnectionDelayGrowFactor: 1.5,
          maxRetries: 5,
        },
      });

await check('initialize', async () => {
  await client.connect(transport);
  assert(client.getServerVersion()?.name === 'mcp-sse-everything', 'unexpected serverInfo');
  assert(client.getServerCapabilities()?.tools?.listChanged === true, 'tools capability missing');
});

await check('tools/list', async () => {
  const { tools } = await client.listTools();
  assert(tools.some((t) => t.name === 'test_simple_text'), 'test_simple_text not listed');
});

await check('tools/call', async () => {
  const r = await client.callTool({ name: 'test_simple_text', arguments: {} });
  assert(r.content[0].text === 'This is a simple text response for testing.', JSON.stringify(r));
});

// What reached the client, in arrival order. The SDK hands progress to `onprogress` in a
// microtask but settles the response at once, so a progress notification that arrives in
// the same read as the response never reaches `onprogress`: the wire order is checked here.
const received = [];
function record() {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    received.push(message);
    deliver(message, extra);
  };
}

// Progress values for `token` that arrived before the response to request `id`.
function progressBeforeResult(token, id) {
  const values = [];
  for (const m of received) {
    if (m.id === id && ('result' in m || 'error' in m)) return values;
    if (m.method === 'notifications/progress' && m.params.progressToken === token)
      values.push(m.params.progress);
  }
  throw new Error(`no response to request ${id}`);
}

await check('progress notifications, in order, before the result', async () => {
  record();
  const seen = [];
  await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
    onprogress: (p) => seen.push(p.progress),
  });
  const response = received.find((m) => 'result' in m);
  assert(response !== undefined, 'no response recorded');
  // The SDK uses the request id as the progress token.
  const onWire = progressBeforeResult(response.id, response.id);
  assert(JSON.stringify(onWire) === '[0,50,100]', `progress on the wire ${JSON.stringify(onWire)}`);
  assert(seen.length >= 2 && seen.every((v, i) => i === 0 || v > seen[i - 1]), `onprogress ${seen}`);
});

await check('sampling requested by the server, answered by the client', async () => {
  const r = await client.callTool({ name: 'test_sampling', arguments: { prompt: '2+2?' } });
  assert(r.content[0].text === 'LLM response: four', JSON.stringify(r));
});

await check('resource subscription and update notification', async () => {
  await client.subscribeResource({ uri: 'test://watched-resource' });
  await client.callTool({ name: 'touch_resource', arguments: { uri: 'test://watched-resource' } });
  await eventually(() => updates.includes('test://watched-resource'), 'resources/updated');
});

if (mode === 'streamable') {
  await check('a stream closed mid-call resumes with Last-Event-ID, nothing lost or doubled', async () => {
    const seen = [];
    const r = await client.callTool({ name: 'test_reconnection', arguments: {} }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    assert(r.content[0].text.startsWith('Reconnection test completed successfully'), JSON.stringify(r));
    const response = received.findLast((m) => 'result' in m);
    const onWire = progressBeforeResult(response.id, response.id);
    assert(JSON.stringify(onWire) === '[1,2]', `progress on the wire ${JSON.stringify(onWire)}`);
    assert(seen.length >= 1 && seen[0] === 1, `onprogress ${JSON.stringify(seen)}`);
  });
}

await client.close();
console.log(`ts-interop ${mode}: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
