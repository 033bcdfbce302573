{% load static %}/* Service worker for the community team pages: keeps the page shell so that the recording page
 * opens without a connection. Pages are fetched from the network first and the cache is only
 * a fallback; form posts are never touched (the page's own queue handles them). */
"use strict";
const CACHE = "motcua-outreach-v1";
const SHELL = ["{% url 'outreach:record' %}", "{% static 'outreach/visit-queue.js' %}", "{% static 'outreach/outreach.css' %}", "{% static 'motcua/site.css' %}"];
const SCOPE = "{% url 'outreach:home' %}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request).then((hit) => hit || caches.match(SHELL[0])))
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
