// The official TypeScript SDK server with the benchmark's tools (the same as
// bench/bench_server.cpp): Streamable HTTP (stateful, resumable through the SDK's
// InMemoryEventStore) at /mcp and the legacy HTTP+SSE transport at /sse + /messages.
//   node ts_server.mjs [--json-responses]     prints its URL
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const jsonResponses = process.argv.includes('--json-responses');
const subscribers = new Set(); // the McpServers subscribed to bench://watched

function makeServer() {
  const server = new McpServer(
    { name: 'ts-bench-peer', version: '1.0.0' },
    { capabilities: { resources: { subscribe: true } } },
  );
  server.registerTool(
    'echo',
    { description: 'Echoes its text', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'stream_progress',
    { description: 'Sends count progress notifications, then returns', inputSchema: { count: z.number().int() } },
    async ({ count }, extra) => {
      const token = extra._meta?.progressToken;
      if (token !== undefined)
        for (let i = 1; i <= count; ++i)
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress: i, total: count },
          });
      return { content: [{ type: 'text', text: `sent ${count}` }] };
    },
  );
  server.registerTool(
    'touch_resource',
    { description: 'Notifies the sessions subscribed to uri', inputSchema: { uri: z.string().optional() } },
    async ({ uri }) => {
      const target = uri ?? 'bench://watched';
      await Promise.all([...subscribers].map((s) => s.server.sendResourceUpdated({ uri: target })));
      return { content: [{ type: 'text', text: 'touched' }] };
    },
  );
  server.registerResource('watched', 'bench://watched', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'watched' }],
  }));
  server.server.setRequestHandler(SubscribeRequestSchema, async () => {
    subscribers.add(server);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async () => {
    subscribers.delete(server);
    return {};
  });
  return server;
}

const transports = new Map();
const legacy = new Map();
const httpServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/sse' && req.method === 'GET') {
    const transport = new SSEServerTransport('/messages', res);
    legacy.set(transport.sessionId, transport);
    res.on('close', () => legacy.delete(transport.sessionId));
    await makeServer().connect(transport);
    return;
  }
  if (url.pathname === '/messages' && req.method === 'POST') {
    const transport = legacy.get(url.searchParams.get('sessionId'));
    if (!transport) {
      res.writeHead(404).end();
      return;
    }
    await transport.handlePostMessage(req, res);
    return;
  }
  if (url.pathname !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  let body;
  if (req.method === 'POST') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    body = JSON.parse(Buffer.concat(chunks).toString());
  }
  const sid = req.headers['mcp-session-id'];
  let transport = sid ? transports.get(sid) : undefined;
  if (!transport) {
    if (sid || body?.method !== 'initialize') {
      res.writeHead(sid ? 404 : 400).end();
      return;
    }
    const server = makeServer();
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: jsonResponses,
      eventStore: new InMemoryEventStore(),
      onsessioninitialized: (id) => transports.set(id, transport),
    });
    transport.onclose = () => {
      transports.delete(transport.sessionId);
      subscribers.delete(server);
    };
    await server.connect(transport);
  }
  await transport.handleRequest(req, res, body);
});
httpServer.keepAliveTimeout = 60_000;
httpServer.listen(0, '127.0.0.1', () => {
  console.log(`ts_server: http://127.0.0.1:${httpServer.address().port}/mcp`);
});
process.on('SIGTERM', () => process.exit(0));
