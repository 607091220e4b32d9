// 结对建议地图：只画服务器给出的约 1 公里网格中心（大致位置），不联网、不取地图瓦片。
(function () {
  "use strict";
  var canvas = document.getElementById("pairing-map");
  if (!canvas) { return; }
  var points = JSON.parse(canvas.dataset.points || "[]");
  var ctx = canvas.getContext("2d");
  var w = canvas.width, h = canvas.height, pad = 30;
  ctx.fillStyle = "#eef1ec";
  ctx.fillRect(0, 0, w, h);
  if (!points.length) { return; }
  var lats = [], lngs = [];
  points.forEach(function (p) {
    lats.push(p.household_lat, p.volunteer_lat);
    lngs.push(p.household_lng, p.volunteer_lng);
  });
  var minLat = Math.min.apply(null, lats), maxLat = Math.max.apply(null, lats);
  var minLng = Math.min.apply(null, lngs), maxLng = Math.max.apply(null, lngs);
  var spanLat = Math.max(maxLat - minLat, 0.01), spanLng = Math.max(maxLng - minLng, 0.01);
  function x(lng) { return pad + (lng - minLng) / spanLng * (w - 2 * pad); }
  function y(lat) { return h - pad - (lat - minLat) / spanLat * (h - 2 * pad); }
  function dot(px, py, colour) {
    ctx.beginPath();
    ctx.arc(px, py, 6, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
  }
  points.forEach(function (p) {
    ctx.strokeStyle = p.status === "proposed" ? "#c0392b" : "#999";
    ctx.setLineDash(p.status === "proposed" ? [] : [4, 4]);
    ctx.beginPath();
    ctx.moveTo(x(p.household_lng), y(p.household_lat));
    ctx.lineTo(x(p.volunteer_lng), y(p.volunteer_lat));
    ctx.stroke();
  });
  ctx.setLineDash([]);
  points.forEach(function (p) {
    dot(x(p.household_lng), y(p.household_lat), "#c0392b");
    dot(x(p.volunteer_lng), y(p.volunteer_lat), "#1f6fb2");
  });
  canvas.dataset.drawn = String(points.length);
})();
