// Preloaded into the Playground (NODE_OPTIONS=--require): its CLI has no host option and listens
// on every interface, so every server it starts is bound to 127.0.0.1 instead.
'use strict';
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (args.length > 1 && (args[1] === undefined || args[1] === null)) {
      args[1] = LOOPBACK;
    } else if (typeof args[1] !== 'string') {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (first && typeof first === 'object' && first.path === undefined && !first.host) {
    args[0] = { ...first, host: LOOPBACK };
  }
  return listen.apply(this, args);
};
