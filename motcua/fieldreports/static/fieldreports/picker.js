/* "Gửi phản ánh": a map to tap or drag a pin, and "use my location". Without JS (or Leaflet) the
   lat/lon inputs still work; with it, the pin and the inputs stay in step. */
(function () {
  "use strict";
  var el = document.getElementById("fr-picker");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var locate = document.getElementById("fr-locate");
  var status = document.getElementById("fr-locate-status");
  if (!lat || !lon) { return; }
  var marker = null;
  var map = null;

  function changed(input) {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function place(la, lo, fromInputs) {
    if (!fromInputs) {
      lat.value = la.toFixed(6);
      lon.value = lo.toFixed(6);
      changed(lat);
    }
    if (!map) { return; }
    if (marker) {
      marker.setLatLng([la, lo]);
    } else {
      marker = L.marker([la, lo], { draggable: true, title: el.dataset.pinTitle, alt: el.dataset.pinTitle }).addTo(map);
      marker.on("dragend", function () { var p = marker.getLatLng(); place(p.lat, p.lng, false); });
    }
  }

  if (el && window.L) {
    var d = el.dataset;
    el.hidden = false;
    map = L.map(el, { center: [parseFloat(d.lat), parseFloat(d.lon)], zoom: parseInt(d.zoom, 10) || 9 });
    if (d.tiles) { L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 19 }).addTo(map); }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); });
    var la0 = parseFloat(lat.value), lo0 = parseFloat(lon.value);
    if (isFinite(la0) && isFinite(lo0)) { place(la0, lo0, true); map.setView([la0, lo0], 16); }
  }

  function fromInputs() {
    var la = parseFloat(lat.value.replace(",", ".")), lo = parseFloat(lon.value.replace(",", "."));
    if (isFinite(la) && isFinite(lo)) { place(la, lo, true); if (map) { map.panTo([la, lo]); } }
  }
  lat.addEventListener("input", fromInputs);
  lon.addEventListener("input", fromInputs);

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.dataset.waiting || "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        status.textContent = "";
        place(pos.coords.latitude, pos.coords.longitude, false);
        if (map) { map.setView([pos.coords.latitude, pos.coords.longitude], 17); }
      }, function (err) {
        status.textContent = locate.dataset.failed || err.message || "";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
})();
