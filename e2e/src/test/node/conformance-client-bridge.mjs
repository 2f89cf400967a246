// The "client command" the MCP conformance suite runs for its client scenarios
// (`conformance client --command "node conformance-client-bridge.mjs"`), standing in for
// Atrium's outbound client, which cannot be started as a command of its own.
//
// It hands the suite's server URL, scenario and context to the e2e test over a loopback
// socket (port in ATRIUM_CONFORMANCE_BRIDGE_PORT), as one JSON line, and exits when the
// test closes the socket: meanwhile the test starts an Atrium whose only target is that
// URL and drives a client through it. Exit code 0 unless the socket fails.
import net from 'node:net';

const port = Number(process.env.ATRIUM_CONFORMANCE_BRIDGE_PORT);
const url = process.argv[process.argv.length - 1];
const socket = net.connect({ host: '127.0.0.1', port }, () => {
	socket.write(JSON.stringify({
		url,
		scenario: process.env.MCP_CONFORMANCE_SCENARIO ?? null,
		context: process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : null,
	}) + '\n');
});
socket.on('data', () => {});
socket.on('close', (hadError) => process.exit(hadError ? 1 : 0));
socket.on('error', (error) => {
	console.error(`bridge: ${error.message}`);
	process.exit(1);
});
