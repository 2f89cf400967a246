'use strict';
// Loaded after loopback-preload.cjs for the MCP conformance suite, whose scenario servers
// call `server.listen(0)` and read `server.address().port` on the next line. With a host
// (127.0.0.1, which loopback-preload.cjs adds) Node binds only after an asynchronous DNS
// lookup, so address() is still null there. For a plain port this binds 127.0.0.1 at
// once, as Node itself does without a host; anything else goes to loopback-preload.cjs.
const net = require('node:net');

const loopbackListen = net.Server.prototype.listen;

net.Server.prototype.listen = function atriumSyncLoopbackListen(...args) {
	const rest = [...args];
	const callback = typeof rest[rest.length - 1] === 'function' ? rest.pop() : undefined;
	const port = rest[0];
	const plainPort = rest.length === 1 && (port === undefined || port === null
		|| (typeof port === 'number' && Number.isInteger(port)) || (typeof port === 'string' && /^\d+$/.test(port)));
	if (!plainPort || typeof this._listen2 !== 'function') {
		return loopbackListen.apply(this, args);
	}
	if (callback) {
		this.once('listening', callback);
	}
	this.once('listening', () => {
		const address = this.address();
		process.stderr.write(`[atrium-loopback] listening ${address.address}:${address.port}\n`);
	});
	this._listen2('127.0.0.1', Number(port ?? 0), 4, 511);
	return this;
};
