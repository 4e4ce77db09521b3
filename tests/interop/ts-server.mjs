// The official TypeScript SDK server (Streamable HTTP, stateful) as a peer for our
// client: an `echo` tool that reports progress, and a resource. Prints its URL.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
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
const httpServer = http.createServer(async (req, res) => {
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
