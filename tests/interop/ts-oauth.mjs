// Interop: the official TypeScript SDK's client against our OAuth-protected example
// server. The SDK reads our 401 challenge, discovers and validates our RFC 9728 metadata
// (its schema and its resource against the server URL), refuses to connect without a
// token, and connects, lists and calls with one. Run by `with-server` (MCP_URL).
//   node ts-oauth.mjs TOKEN
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
  selectResourceURL,
} from '@modelcontextprotocol/sdk/client/auth.js';

const token = process.argv[2];
const url = new URL(process.env.MCP_URL);
let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`PASS oauth: ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL oauth: ${name}: ${error?.stack ?? error}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const initialize = JSON.stringify({
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
});
const postHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

await check('the 401 challenge names the metadata and the scope', async () => {
  const res = await fetch(url, { method: 'POST', headers: postHeaders, body: initialize });
  assert(res.status === 401, `status ${res.status}`);
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(res);
  assert(resourceMetadataUrl?.href === `${url.origin}/.well-known/oauth-protected-resource/mcp`,
    `resource_metadata ${resourceMetadataUrl}`);
  assert(scope === 'mcp:tools', `scope ${scope}`);
});

await check('the metadata passes the SDK schema and names this resource', async () => {
  const metadata = await discoverOAuthProtectedResourceMetadata(url);
  assert(metadata.resource === url.href, `resource ${metadata.resource}`);
  assert(metadata.authorization_servers?.[0] === 'https://auth.example.com', 'authorization_servers');
  const chosen = await selectResourceURL(url, {}, metadata);
  assert(chosen?.href === url.href, `selected resource ${chosen}`);
});

await check('without a token the client cannot connect', async () => {
  const client = new Client({ name: 'no-token', version: '1.0.0' });
  let error;
  try {
    await client.connect(new StreamableHTTPClientTransport(url));
  } catch (e) {
    error = e;
  }
  assert(error && /401|Unauthorized/i.test(String(error)), `connected, or failed otherwise: ${error}`);
});

await check('with the token it connects, lists and calls', async () => {
  const client = new Client({ name: 'with-token', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  }));
  const tools = await client.listTools();
  assert(tools.tools.some((t) => t.name === 'echo'), 'echo listed');
  const result = await client.callTool({ name: 'echo', arguments: { text: 'authorized' } });
  assert(result.content[0].text === 'authorized', JSON.stringify(result));
  await client.close();
});

console.log(`ts-oauth: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
