/* Public field-report map: clusters as numbered circles, points coloured by state; refetches the
   viewport's data (debounced) after every move. Plain Leaflet, no plugin. */
(function () {
  "use strict";
  var el = document.getElementById("fr-map");
  if (!el || !window.L) { return; }
  var d = el.dataset;
  el.innerHTML = "";
  var map = L.map(el, { center: [parseFloat(d.lat), parseFloat(d.lon)], zoom: parseInt(d.zoom, 10) || 9 });
  if (d.tiles) {
    L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 }).addTo(map);
  }
  var layer = L.layerGroup().addTo(map);
  var statusEl = document.getElementById("fr-map-status");
  var filters = new URLSearchParams(d.query || "");
  var rename = { from: "date_from", to: "date_to" };
  var timer = null;
  var latest = 0;

  function clusterIcon(n) {
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
    var text = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
    return L.divIcon({ className: "", html: '<div class="fr-cluster" style="width:' + size + "px;height:" + size +
      'px">' + text + "</div>", iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
  }

  function colour(status, overdue) {
    if (overdue) { return "#a4161a"; }
    return status === "submitted" || status === "accepted" ? "#0b4f8a" : "#1e6b34";
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function draw(data) {
    layer.clearLayers();
    if (data.k === "c") {
      data.c.forEach(function (c) {
        var m = L.marker([c[0], c[1]], { icon: clusterIcon(c[2]), title: c[2] + " " + d.labelOne, alt: c[2] + " " + d.labelOne });
        m.on("click", function () { map.setView([c[0], c[1]], Math.min(map.getZoom() + 2, 18)); });
        layer.addLayer(m);
      });
    } else {
      data.p.forEach(function (p) {
        var m = L.circleMarker([p[1], p[2]], { radius: 8, color: "#fff", weight: 2, fillColor: colour(p[4], p[5]), fillOpacity: 0.95 });
        m.bindPopup('<a href="' + d.detail + encodeURIComponent(p[0]) + '/">' + escapeHtml(p[6] || p[0]) + "</a><br>" +
          escapeHtml(p[0]) + (p[5] ? " · " + escapeHtml(d.labelOverdue) : ""));
        layer.addLayer(m);
      });
    }
    if (statusEl) { statusEl.textContent = data.n + " " + d.labelOne; }
  }

  function load() {
    var b = map.getBounds();
    var params = new URLSearchParams();
    params.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
    params.set("zoom", String(map.getZoom()));
    filters.forEach(function (value, key) { if (value) { params.set(rename[key] || key, value); } });
    var mine = ++latest;
    fetch(d.api + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === latest) { draw(data); } })
      .catch(function () { /* offline: keep what is drawn */ });
  }

  map.on("moveend", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  load();
})();
