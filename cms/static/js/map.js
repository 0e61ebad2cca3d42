/* School maps: draws each [data-map] figure with Leaflet from the JSON beside it. Without
   script, or when tiles cannot load, the page's list of schools still names every school. */
(function () {
  "use strict";
  if (!window.L) { return; }

  function popup(marker) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    box.appendChild(link);
    return box;
  }

  function draw(figure) {
    var source = document.getElementById(figure.getAttribute("data-map"));
    var canvas = figure.querySelector(".map-canvas");
    if (!source || !canvas) { return; }
    var data = JSON.parse(source.textContent);
    figure.hidden = false;
    var map = L.map(canvas, { scrollWheelZoom: false });
    var tiles = L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 19 });
    var notice = figure.querySelector(".map-notice");
    tiles.on("tileerror", function () { if (notice) { notice.hidden = false; } });
    tiles.addTo(map);
    var bounds = L.latLngBounds([]);
    if (data.outline) {
      var outline = L.geoJSON(data.outline, {
        interactive: false,
        style: { color: "#083f61", weight: 2, fillColor: "#0b5a8a", fillOpacity: 0.06 }
      }).addTo(map);
      bounds.extend(outline.getBounds());
    }
    data.markers.forEach(function (m) {
      var dot = L.circleMarker([m.lat, m.lon], {
        radius: m.current ? 10 : 7,
        color: "#ffffff",
        weight: 2,
        fillColor: m.current ? "#a8431a" : "#0b5a8a",
        fillOpacity: 0.9
      });
      dot.bindTooltip(m.name, { permanent: m.current, direction: "top" });
      dot.bindPopup(popup(m));
      dot.addTo(map);
      bounds.extend([m.lat, m.lon]);
    });
    map.fitBounds(bounds.pad(0.1), { maxZoom: 15 });
  }

  document.querySelectorAll("figure[data-map]").forEach(draw);
})();
