/* One report's place on a small map (public and reporter pages); the coordinates stay in the text. */
(function () {
  "use strict";
  var el = document.getElementById("fr-place");
  if (!el || !window.L) { return; }
  var d = el.dataset;
  var at = [parseFloat(d.lat), parseFloat(d.lon)];
  el.hidden = false;
  var map = L.map(el, { center: at, zoom: 16, scrollWheelZoom: false });
  if (d.tiles) { L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 }).addTo(map); }
  L.circleMarker(at, { radius: 9, color: "#fff", weight: 2, fillColor: "#a4161a", fillOpacity: 0.95 }).addTo(map);
})();
