// Offline: after the first visit the app works without a network. build.sh writes the
// asset list and a version (a hash of the files) into the copy in dist/, so a deploy
// installs a new cache and drops the old one.
const VERSION = '__VERSION__';
const ASSETS = __ASSETS__;
const CACHE = `kubeplay-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kubeplay-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Cache first (the assets of one version never change), the network for anything else.
// The page's query (?embed…) does not change the files it needs.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE)
      .then((c) => c.match(req, { ignoreSearch: true }))
      .then((hit) => hit ?? fetch(req)),
  );
});
