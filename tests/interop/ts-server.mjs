// The official TypeScript SDK server as a peer for our client: Streamable HTTP (stateful)
// at /mcp and the legacy HTTP+SSE transport at /sse + /messages; an `echo` tool that
// reports progress, and a resource. Prints its URLs.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

function makeServer() {
  const server = new McpServer({ name: 'ts-peer', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echoes text after reporting progress', inputSchema: { text: z.string() } },
    async ({ text }, extra) => {
      const token = extra._meta?.progressToken;
      if (token !== undefined)
        for (const progress of [1, 2, 3])
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress, total: 3 },
          });
      return { content: [{ type: 'text', text }] };
    },
  );
  server.registerResource('note', 'peer://note', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'a note from the TypeScript peer' }],
  }));
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
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
  const sid = req.headers['mcp-session-id'];
  let transport = sid ? transports.get(sid) : undefined;
  if (!transport) {
    if (sid || body?.method !== 'initialize') {
      res.writeHead(sid ? 404 : 400).end();
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => transports.set(id, transport),
    });
    await makeServer().connect(transport);
  }
  await transport.handleRequest(req, res, body);
});
httpServer.listen(0, '127.0.0.1', () => {
  console.log(`ts-peer: Streamable HTTP at http://127.0.0.1:${httpServer.address().port}/mcp`);
});
process.on('SIGTERM', () => process.exit(0));
