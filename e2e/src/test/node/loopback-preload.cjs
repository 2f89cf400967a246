'use strict';
// Forces every TCP listen() in this Node process onto the loopback interface.
//
// Loaded with `node --require loopback-preload.cjs ...` by the Atrium e2e harness. The
// npm MCP peers (server-everything and friends) call listen(PORT) without a host, which
// binds to all interfaces; tests must never expose anything beyond this machine.
//
// After a socket is bound, one line goes to stderr so the harness learns the real port
// without polling (start the peer with port 0 and read the line):
//   [atrium-loopback] listening 127.0.0.1:<port>
const net = require('node:net');

// Deliberately not configurable: nothing a test starts may listen beyond loopback
const HOST = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

function isPort(value) {
	return (typeof value === 'number' && Number.isInteger(value))
		|| (typeof value === 'string' && /^\d+$/.test(value));
}

// Rewrites the many listen() signatures into (options, callback) with host set to HOST.
// Unix sockets/pipes (path strings) and inherited handles are left alone: they are not
// network-reachable.
function loopbackArgs(args) {
	const rest = [...args];
	const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : undefined;
	const first = rest[0];
	let options;
	if (first === undefined || first === null) {
		// listen() or listen(callback): random port
		options = { port: 0 };
	}
	else if (isPort(first)) {
		// listen(port[, host][, backlog])
		options = { port: Number(first) };
		const backlog = typeof rest[1] === 'number' ? rest[1] : rest[2];
		if (typeof backlog === 'number') {
			options.backlog = backlog;
		}
	}
	else if (typeof first === 'object' && first.path === undefined && first.fd === undefined
		&& first._handle === undefined && first.handle === undefined) {
		// listen(options)
		options = { ...first, port: first.port === undefined ? 0 : Number(first.port) };
		delete options.ipv6Only;
	}
	else {
		return null;
	}
	options.host = HOST;
	return callback ? [options, callback] : [options];
}

net.Server.prototype.listen = function atriumLoopbackListen(...args) {
	const rewritten = loopbackArgs(args);
	if (rewritten === null) {
		return originalListen.apply(this, args);
	}
	this.once('listening', () => {
		const address = this.address();
		if (address && typeof address === 'object') {
			process.stderr.write(`[atrium-loopback] listening ${address.address}:${address.port}\n`);
		}
	});
	return originalListen.apply(this, rewritten);
};
