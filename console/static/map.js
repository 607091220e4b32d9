// 离线地图（自有代码，无外部库）：在画布上绘制社区、任务与志愿者的大致位置（约 1 公里网格中心，
// 从不是住址）以及匹配连线；若配置了瓦片地址（CONSOLE_TILE_URL：内网瓦片服务、高德、天地图），
// 先铺底图，否则为素色底。Web 墨卡托投影，与常见瓦片一致。
(function () {
  "use strict";
  var COLORS = { task: "#c0392b", unmatched: "#ef8f00", volunteer: "#1565c0",
                 community: "#8d6e63", accepted: "#2e7d32", proposed: "#ef8f00", other: "#9e9e9e" };

  function mercator(lat, lng) {
    var s = Math.sin(lat * Math.PI / 180);
    return { x: (lng + 180) / 360, y: 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI) };
  }

  function fanOut(points) {
    // Several items share one coarse cell: spread them on a small ring so each stays visible.
    var groups = {};
    points.forEach(function (p) {
      var key = p.lat.toFixed(4) + "," + p.lng.toFixed(4);
      (groups[key] = groups[key] || []).push(p);
    });
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      group.forEach(function (p, i) {
        var angle = 2 * Math.PI * i / group.length;
        var ring = group.length > 1 ? 9 + group.length * 1.2 : 0;
        p.dx = ring * Math.cos(angle); p.dy = ring * Math.sin(angle);
      });
    });
  }

  function Map(canvas, data) {
    this.canvas = canvas; this.data = data; this.tiles = {};
    fanOut(data.points);
    var all = data.communities.concat(data.points);
    var xs = all.map(function (p) { return mercator(p.lat, p.lng); });
    this.bounds = xs.length ? {
      minX: Math.min.apply(null, xs.map(function (m) { return m.x; })),
      maxX: Math.max.apply(null, xs.map(function (m) { return m.x; })),
      minY: Math.min.apply(null, xs.map(function (m) { return m.y; })),
      maxY: Math.max.apply(null, xs.map(function (m) { return m.y; }))
    } : null;
  }

  Map.prototype.layout = function () {
    var ratio = window.devicePixelRatio || 1;
    var w = this.canvas.clientWidth, h = this.canvas.clientHeight;
    this.canvas.width = w * ratio; this.canvas.height = h * ratio;
    this.w = w; this.h = h; this.ratio = ratio;
    var b = this.bounds || { minX: 0.5, maxX: 0.5, minY: 0.5, maxY: 0.5 };
    var span = Math.max(b.maxX - b.minX, b.maxY - b.minY, 0.000012);  // at least ~500 m
    this.scale = Math.min(w, h) / (span * 1.35);
    this.cx = (b.minX + b.maxX) / 2; this.cy = (b.minY + b.maxY) / 2;
  };

  Map.prototype.project = function (lat, lng) {
    var m = mercator(lat, lng);
    return { x: this.w / 2 + (m.x - this.cx) * this.scale, y: this.h / 2 + (m.y - this.cy) * this.scale };
  };

  Map.prototype.drawTiles = function (ctx) {
    var template = this.data.tiles, self = this;
    if (!template) { return; }
    var z = Math.max(1, Math.min(18, Math.round(Math.log(this.scale / 256) / Math.LN2)));
    var n = Math.pow(2, z), size = this.scale / n;
    var x0 = Math.floor((this.cx - this.w / 2 / this.scale) * n), x1 = Math.floor((this.cx + this.w / 2 / this.scale) * n);
    var y0 = Math.floor((this.cy - this.h / 2 / this.scale) * n), y1 = Math.floor((this.cy + this.h / 2 / this.scale) * n);
    for (var x = x0; x <= x1; x++) {
      for (var y = y0; y <= y1; y++) {
        var url = template.replace("{z}", z).replace("{x}", x).replace("{y}", y);
        var img = this.tiles[url];
        if (!img) {
          img = this.tiles[url] = new Image();
          img.onload = function () { self.draw(); };
          img.src = url;
        }
        if (img.complete && img.naturalWidth) {
          ctx.drawImage(img, this.w / 2 + (x / n - this.cx) * this.scale, this.h / 2 + (y / n - this.cy) * this.scale, size + 0.5, size + 0.5);
        }
      }
    }
  };

  Map.prototype.drawGrid = function (ctx) {
    // Faint lines every 0.01° (about 1 km), offset by half a cell: the cells whose centres
    // positions are rounded to.
    ctx.strokeStyle = "rgba(0,0,0,0.06)"; ctx.lineWidth = 1;
    var topLeft = this.unproject(0, 0), bottomRight = this.unproject(this.w, this.h);
    for (var lng = Math.floor(topLeft.lng * 100) / 100 - 0.005; lng <= bottomRight.lng; lng += 0.01) {
      var a = this.project(topLeft.lat, lng);
      ctx.beginPath(); ctx.moveTo(a.x, 0); ctx.lineTo(a.x, this.h); ctx.stroke();
    }
    for (var lat = Math.floor(bottomRight.lat * 100) / 100 - 0.005; lat <= topLeft.lat; lat += 0.01) {
      var b = this.project(lat, topLeft.lng);
      ctx.beginPath(); ctx.moveTo(0, b.y); ctx.lineTo(this.w, b.y); ctx.stroke();
    }
  };

  Map.prototype.unproject = function (px, py) {
    var x = this.cx + (px - this.w / 2) / this.scale, y = this.cy + (py - this.h / 2) / this.scale;
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
    return { lat: lat, lng: x * 360 - 180 };
  };

  Map.prototype.position = function (p) {
    var at = this.project(p.lat, p.lng);
    return { x: at.x + (p.dx || 0), y: at.y + (p.dy || 0) };
  };

  Map.prototype.draw = function () {
    var ctx = this.canvas.getContext("2d"), self = this;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.fillStyle = "#eef1ec"; ctx.fillRect(0, 0, this.w, this.h);
    this.drawTiles(ctx);
    if (!this.data.tiles) { this.drawGrid(ctx); }
    ctx.font = "12px 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
    this.data.communities.forEach(function (c) {
      var at = self.project(c.lat, c.lng);
      ctx.beginPath(); ctx.arc(at.x, at.y, 16, 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(141,110,99,0.10)"; ctx.fill();
      ctx.strokeStyle = COLORS.community; ctx.lineWidth = 1.5; ctx.stroke();
      ctx.fillStyle = "#5d4037"; ctx.textAlign = "center"; ctx.fillText(c.name, at.x, at.y - 20);
    });
    var byRef = {};
    this.data.points.forEach(function (p) { byRef[p.ref] = p; });
    this.data.links.forEach(function (link) {
      var a = byRef[link.from], b = byRef[link.to];
      if (!a || !b) { return; }
      var pa = self.position(a), pb = self.position(b);
      ctx.strokeStyle = COLORS[link.status] || COLORS.other;
      ctx.lineWidth = link.status === "accepted" ? 2.5 : 1.5;
      ctx.setLineDash(link.status === "proposed" ? [5, 4] : []);
      ctx.beginPath(); ctx.moveTo(pa.x, pa.y); ctx.lineTo(pb.x, pb.y); ctx.stroke();
    });
    ctx.setLineDash([]);
    this.data.points.forEach(function (p) {
      var at = self.position(p), volunteer = p.kind === "volunteer";
      ctx.beginPath(); ctx.arc(at.x, at.y, volunteer ? 5 : 8, 0, 2 * Math.PI);
      ctx.fillStyle = COLORS[p.kind] || COLORS.other; ctx.fill();
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.5; ctx.stroke();
      ctx.textAlign = volunteer ? "left" : "center";
      ctx.fillStyle = volunteer ? "#0d47a1" : "#fff";
      ctx.font = volunteer ? "11px sans-serif" : "bold 10px sans-serif";
      ctx.fillText(p.label, volunteer ? at.x + 7 : at.x, volunteer ? at.y + 4 : at.y + 3.5);
    });
    this.drawScale(ctx);
  };

  Map.prototype.drawScale = function (ctx) {
    // A 1 km bar (its length in pixels at the map's centre latitude).
    var centre = this.unproject(this.w / 2, this.h / 2);
    var a = this.project(centre.lat, centre.lng), b = this.project(centre.lat, centre.lng + 1 / (111.32 * Math.cos(centre.lat * Math.PI / 180)));
    var len = Math.abs(b.x - a.x);
    ctx.strokeStyle = "#555"; ctx.lineWidth = 2; ctx.beginPath();
    ctx.moveTo(12, this.h - 14); ctx.lineTo(12 + len, this.h - 14); ctx.stroke();
    ctx.fillStyle = "#555"; ctx.textAlign = "left"; ctx.font = "11px sans-serif";
    ctx.fillText("1 公里", 12, this.h - 20);
  };

  document.querySelectorAll("canvas[data-map]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.map);
    var map = new Map(canvas, JSON.parse(source.textContent));
    canvas.lianxinMap = map;  // for tests: what is drawn
    var redraw = function () { map.layout(); map.draw(); };
    window.addEventListener("resize", redraw);
    redraw();
  });
})();
