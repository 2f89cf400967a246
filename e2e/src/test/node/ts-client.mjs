// Drives the official TypeScript MCP SDK client against a streamable HTTP endpoint for the
// Atrium e2e tests (see dev.atrium.e2e.support.TsSdkClient).
//
// Input: one JSON document, as the first argument or (when there is none) on stdin:
//   {
//     "url": "http://127.0.0.1:8080/mcp",
//     "headers": { "Authorization": "Bearer ..." },        optional, sent on every request
//     "clientInfo": { "name": "...", "version": "..." },    optional
//     "capabilities": { ... },                              optional client capabilities
//     "steps": [ { "op": "listTools" }, { "op": "callTool", "name": "echo", "arguments": {...} } ]
//   }
// Operations: listTools, listResources, listResourceTemplates, listPrompts (all pages are
// followed, result {"pages": n, "items": [...], "pageSizes": [...]}; "cursor" starts
// elsewhere, "maxPages" caps the walk), callTool {name, arguments}, readResource {uri},
// getPrompt {name, arguments}, ping, terminate (DELETE of the session).
//
// Output: exactly ONE JSON document on stdout:
//   { "protocolVersion", "serverInfo", "serverCapabilities", "instructions", "sessionId",
//     "steps": [ { "op", "result" } | { "op", "error": { "code", "message", "data", "name" } } ],
//     "closeError"? }
// or, when initialization fails, { "connectError": {...} }. A failing step does not stop the
// run: its error is recorded and the next step runs. Anything the SDK logs goes to stderr.
// The exit code is 0 whenever the document was written; 2 means bad input, 1 a crash.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

// stdout carries the result document only
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const DEFAULT_MAX_PAGES = 1000;

async function readInput() {
	if (process.argv.length > 2) {
		return process.argv[2];
	}
	const chunks = [];
	for await (const chunk of process.stdin) {
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function describeError(error) {
	if (error === null || typeof error !== 'object') {
		return { message: String(error) };
	}
	const described = { message: error.message ?? String(error) };
	// McpError carries the JSON-RPC code, StreamableHTTPError the HTTP status
	if (error.code !== undefined) {
		described.code = error.code;
	}
	if (error.data !== undefined) {
		described.data = error.data;
	}
	if (error.constructor?.name || error.name) {
		described.name = error.constructor?.name ?? error.name;
	}
	if (error.cause !== undefined) {
		described.cause = error.cause?.message ?? String(error.cause);
	}
	return described;
}

async function listAll(step, fetchPage, itemsKey) {
	const maxPages = step.maxPages ?? DEFAULT_MAX_PAGES;
	const items = [];
	const pageSizes = [];
	let cursor = step.cursor;
	let pages = 0;
	do {
		if (pages >= maxPages) {
			throw new Error(`Gave up after ${maxPages} pages, nextCursor was still ${JSON.stringify(cursor)}`);
		}
		const page = await fetchPage(cursor === undefined ? undefined : { cursor });
		const pageItems = page[itemsKey] ?? [];
		items.push(...pageItems);
		pageSizes.push(pageItems.length);
		pages++;
		cursor = page.nextCursor;
	}
	while (cursor !== undefined && cursor !== null);
	return { pages, items, pageSizes };
}

async function runStep(client, transport, step) {
	switch (step.op) {
		case 'listTools':
			return listAll(step, (params) => client.listTools(params), 'tools');
		case 'listResources':
			return listAll(step, (params) => client.listResources(params), 'resources');
		case 'listResourceTemplates':
			return listAll(step, (params) => client.listResourceTemplates(params), 'resourceTemplates');
		case 'listPrompts':
			return listAll(step, (params) => client.listPrompts(params), 'prompts');
		case 'callTool':
			return client.callTool({ name: step.name, arguments: step.arguments ?? {} });
		case 'readResource':
			return client.readResource({ uri: step.uri });
		case 'getPrompt':
			return client.getPrompt({ name: step.name, arguments: step.arguments ?? {} });
		case 'ping':
			return client.ping();
		case 'terminate':
			await transport.terminateSession();
			return { terminated: true, sessionId: transport.sessionId ?? null };
		default:
			throw new Error(`Unknown op: ${JSON.stringify(step.op)}`);
	}
}

function writeAndExit(document, code) {
	process.stdout.write(JSON.stringify(document) + '\n', () => process.exit(code));
}

async function main() {
	let input;
	try {
		input = JSON.parse(await readInput());
		if (typeof input.url !== 'string' || !Array.isArray(input.steps)) {
			throw new Error('input needs "url" (string) and "steps" (array)');
		}
	}
	catch (error) {
		console.error(`ts-client: bad input: ${error.message}`);
		process.exit(2);
	}
	const transport = new StreamableHTTPClientTransport(new URL(input.url), {
		requestInit: { headers: input.headers ?? {} },
	});
	const client = new Client(input.clientInfo ?? { name: 'atrium-e2e-ts-client', version: '1.0.0' },
		{ capabilities: input.capabilities ?? {} });
	try {
		await client.connect(transport);
	}
	catch (error) {
		await client.close().catch(() => {});
		writeAndExit({ connectError: describeError(error) }, 0);
		return;
	}
	const output = {
		protocolVersion: transport.protocolVersion ?? null,
		serverInfo: client.getServerVersion() ?? null,
		serverCapabilities: client.getServerCapabilities() ?? null,
		instructions: client.getInstructions() ?? null,
		sessionId: transport.sessionId ?? null,
		steps: [],
	};
	for (const step of input.steps) {
		try {
			output.steps.push({ op: step.op, result: await runStep(client, transport, step) });
		}
		catch (error) {
			output.steps.push({ op: step.op, error: describeError(error) });
		}
	}
	try {
		await client.close();
	}
	catch (error) {
		output.closeError = describeError(error);
	}
	writeAndExit(output, 0);
}

main().catch((error) => {
	console.error('ts-client crashed:', error);
	process.exit(1);
});
