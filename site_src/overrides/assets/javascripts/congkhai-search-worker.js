// A share of the portal's search index, searched in its own thread (see pool() in congkhai-search.js).
//
// A province's portal bundle comes in parts; Pagefind searches all the parts of one page in a single
// worker, one after another, and sends every match back to the page (9,000 results for "công khai"
// at 30,000 documents). Here each worker holds some of the parts, so they are searched in parallel,
// and only what the page shows crosses over: the ranked ids with their scores, then the data of the
// few results drawn. Pagefind's library and WebAssembly come from the portal bundle's folder for
// every worker (one download: the parts' copies are the same bytes).
//
// Pagefind's chunks are gzip files that its library inflates in JavaScript; here the browser's own
// DecompressionStream inflates them (Pagefind takes data that starts with its signature as is):
// the same bytes over the network, a third less time loading a common word's chunks.

import { ranked } from "./congkhai-search.js";

let pagefind = null;
let library = "";
const held = new Map(); // search number → Map(result id → Pagefind result)
const KEEP_SEARCHES = 4;
const CHUNK = /\.pf_(index|fragment|filter)$/;

const fetchFile = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
  const wasm = library && url.startsWith(library) && /\/wasm\.[^/]+\.pagefind$/.exec(url);
  const response = await fetchFile(wasm ? library + wasm[0].slice(1) : input, init);
  if (!response.ok || !CHUNK.test(url) || typeof DecompressionStream === "undefined") return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new Response(bytes); // not gzip: Pagefind decides
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")));
};

async function start({ root, parts, baseUrl }) {
  library = root;
  pagefind = await import(root + "pagefind.js");
  await pagefind.options({ basePath: parts[0], baseUrl });
  await pagefind.init();
  for (const part of parts.slice(1)) await pagefind.mergeIndex(part, { baseUrl });
  return true;
}

async function find({ search, query, filters }) {
  const order = await ranked(pagefind, query, filters);
  held.set(search, new Map(order.map(({ r }) => [r.id, r])));
  for (const old of held.keys()) if (held.size > KEEP_SEARCHES) held.delete(old);
  return {
    ids: order.map(({ r }) => r.id),
    scores: Float64Array.from(order, ({ r }) => r.score),
    ranks: Uint8Array.from(order, ({ rank }) => rank),
    lates: Uint8Array.from(order, ({ late }) => (late ? 1 : 0)),
  };
}

async function data({ search, ids }) {
  const results = held.get(search);
  if (!results) throw new Error("search expired");
  return Promise.all(ids.map((id) => results.get(id).data()));
}

const calls = { start, find, data };

self.addEventListener("message", async (event) => {
  const { call, type, ...payload } = event.data;
  try {
    self.postMessage({ call, reply: await calls[type](payload) });
  } catch (error) {
    self.postMessage({ call, error: String((error && error.message) || error) });
  }
});
