/* global process, URL */
// Preloaded (NODE_OPTIONS=--require) into the engine suite's processes: routes
// requests for the Railway services' public domains to the loopback stand-in,
// as DNS and Railway's edge would route them to the service. Nothing else is
// touched; the deploy client and its health probe run unchanged.
"use strict";
const hosts = (process.env.DELIVERY_TEST_EDGE_HOSTS || "").split(",").filter(Boolean);
const target = process.env.DELIVERY_TEST_EDGE_URL;
if (hosts.length > 0 && target && typeof globalThis.fetch === "function") {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url);
    return hosts.includes(url.hostname) ? realFetch(`${target}${url.pathname}${url.search}`, init) : realFetch(input, init);
  };
}
