/* techreg view: builds the network from the JSON island; every data string is set as text. */
(function () {
  "use strict";
  var t0 = performance.now();
  var state = window.techreg = { settled: false, settleMs: null, network: null, error: null };
  var payload = JSON.parse(document.getElementById("techreg-data").textContent);
  var meta = payload.meta || {};
  var sources = meta.sources || [];
  var nodeInfo = new Map(), edgeInfo = new Map(), labels = [];

  function text(el, value) { el.textContent = value == null ? "" : String(value); return el; }
  function make(tag, cls, value) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (value !== undefined) { text(el, value); }
    return el;
  }

  var nodes = payload.nodes.map(function (n) {
    var item = {};
    Object.keys(n).forEach(function (key) {
      if (key !== "info" && key !== "title") { item[key] = n[key]; }
    });
    item.label = n.label == null ? "" : String(n.label);
    nodeInfo.set(String(n.id), n.info || [["label", item.label]]);
    var all = (n.info || []).filter(function (r) { return r[0] === "label" || r[0] === "中文"; })
      .map(function (r) { return String(r[1]); });
    if (!all.length) { all = [item.label]; }
    labels.push({ id: n.id, names: all, folded: all.map(function (s) { return s.toLocaleLowerCase(); }) });
    return item;
  });
  var edges = payload.edges.map(function (e, i) {
    var item = {};
    Object.keys(e).forEach(function (key) { if (key !== "info" && key !== "title") { item[key] = e[key]; } });
    if (item.id == null) { item.id = "e" + i; }
    edgeInfo.set(String(item.id), e.info || [["relation", e.label || ""]]);
    return item;
  });

  text(document.getElementById("title"), meta.title || "techreg view");
  text(document.getElementById("counts"), nodes.length + " nodes · " + edges.length + " edges");

  // Legend: shapes and colours by class, then the kinds of edges.
  var legend = document.getElementById("legend-items");
  (meta.legend || []).forEach(function (entry) {
    var li = make("li");
    var sw = make("span", "swatch " + String(entry.shape).replace(/[^a-z]/g, ""));
    sw.style.backgroundColor = String(entry.color);
    li.appendChild(sw);
    li.appendChild(make("span", "", entry.name));
    legend.appendChild(li);
  });
  if (edges.some(function (e) { return e.dashes; })) {
    var dl = make("li"); dl.appendChild(make("span", "swatch dashed")); dl.appendChild(make("span", "", "entailed (follows from a chain)"));
    legend.appendChild(dl);
  }
  if (edges.some(function (e) { return e.width > 2; })) {
    var pl = make("li"); var ps = make("span", "swatch line"); ps.style.borderTopColor = "#d6336c";
    pl.appendChild(ps); pl.appendChild(make("span", "", "on a path")); legend.appendChild(pl);
  }

  // Tooltip and details: rows of (name, value) as text; sources by index.
  function rowsInto(box, rows) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    rows.forEach(function (r, i) {
      var key = String(r[0]);
      var value = key === "source" ? (sources[r[1]] != null ? sources[r[1]] : r[1]) : r[1];
      if (i === 0) { box.appendChild(make("div", "row head", value)); return; }
      var row = make("div", "row");
      row.appendChild(make("span", "k", key + ":"));
      row.appendChild(make("span", "v", value));
      box.appendChild(row);
    });
  }
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  function showTip(rows, pointer) {
    rowsInto(tooltip, rows);
    tooltip.hidden = false;
    var rect = document.getElementById("network").getBoundingClientRect();
    var x = rect.left + pointer.x + 14, y = rect.top + pointer.y + 14;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 4) { x = Math.max(4, x - w - 28); }
    if (y + h > window.innerHeight - 4) { y = Math.max(4, y - h - 28); }
    tooltip.style.left = x + "px"; tooltip.style.top = y + "px";
  }
  function hideTip() { tooltip.hidden = true; }
  function showDetails(rows) { rowsInto(detailsBody, rows); details.hidden = false; }
  document.getElementById("details-close").addEventListener("click", function () { details.hidden = true; });

  var container = document.getElementById("network");
  var data = { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
  var options = payload.options || {};
  var network = new vis.Network(container, data, options);
  state.network = network;
  state.nodes = data.nodes;
  state.edges = data.edges;

  // Company groups folded into clusters (large views); a double click opens one.
  var clusters = meta.clusters || {};
  Object.keys(clusters).forEach(function (gid) {
    network.cluster({
      joinCondition: function (n) { return n.cgroup === gid; },
      clusterNodeProperties: { id: "cluster:" + gid, label: String(clusters[gid]), shape: "box", margin: 10,
                               color: { background: "#a5d8ff", border: "#1971c2" }, borderWidth: 2,
                               font: { size: 15 } }
    });
  });
  state.clusters = Object.keys(clusters).length;
  network.on("doubleClick", function (p) {
    if (p.nodes.length && network.isCluster(p.nodes[0])) { network.openCluster(p.nodes[0]); }
  });

  // --layout time: a date axis behind the graph (one column per date).
  var axis = meta.timeAxis || [];
  function yRange() {
    var pos = network.getPositions(), lo = Infinity, hi = -Infinity;
    Object.keys(pos).forEach(function (k) { lo = Math.min(lo, pos[k].y); hi = Math.max(hi, pos[k].y); });
    return lo === Infinity ? [-300, 300] : [lo - 120, hi + 80];
  }
  state.axis = axis.length;
  if (axis.length) {
    network.on("beforeDrawing", function (ctx) {
      var r = yRange();
      ctx.save();
      ctx.strokeStyle = "#dee2e6"; ctx.lineWidth = 1; ctx.setLineDash([6, 6]);
      ctx.fillStyle = "#495057"; ctx.font = "bold 15px sans-serif"; ctx.textAlign = "center";
      axis.forEach(function (t) {
        ctx.beginPath(); ctx.moveTo(t[0], r[0]); ctx.lineTo(t[0], r[1]); ctx.stroke();
        ctx.fillText(String(t[1]), t[0], r[0] - 8);
      });
      ctx.restore();
    });
  }

  // Downloads: the canvas as PNG (on white), or the current layout redrawn as SVG.
  var fileBase = (meta.title || "techreg-view").replace(/[^A-Za-z0-9\u4e00-\u9fff]+/g, "-").replace(/^-|-$/g, "").slice(0, 80) || "techreg-view";
  function download(name, url) {
    var a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  state.pngDataUrl = function () {
    var src = container.querySelector("canvas");
    var c = document.createElement("canvas");
    c.width = src.width; c.height = src.height;
    var g = c.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, c.width, c.height); g.drawImage(src, 0, 0);
    return c.toDataURL("image/png");
  };
  function colourOf(n) {
    var c = n.color || ((options.groups || {})[n.group] || {}).color || "#97c2fc";
    return typeof c === "string" ? c : (c.background || "#97c2fc");
  }
  state.svgText = function () {
    var NS = "http://www.w3.org/2000/svg";
    // what is drawn now: the visible nodes and the clusters holding the others; a cluster
    // is drawn as a box with the names of every node folded inside it listed under it, and
    // an edge to a folded node is drawn to its (outermost) cluster
    var visible = network.body.nodeIndices.slice();
    var pos = network.getPositions(visible);
    function outer(id) { var chain = network.clustering.findNode(id); return chain.length ? chain[0] : id; }
    var xs = [], ys = [];
    Object.keys(pos).forEach(function (k) { xs.push(pos[k].x); ys.push(pos[k].y); });
    var members = {}, extra = 0;
    visible.forEach(function (id) {
      if (network.isCluster(id)) {
        members[id] = network.getNodesInCluster(id).map(function (m) { return data.nodes.get(m); })
          .filter(function (n) { return n; });
        extra = Math.max(extra, members[id].length * 14 + 40);
      }
    });
    var pad = 160, x0 = Math.min.apply(null, xs) - pad, y0 = Math.min.apply(null, ys) - pad;
    var w = Math.max.apply(null, xs) - x0 + pad, h = Math.max.apply(null, ys) - y0 + pad + extra;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("viewBox", [x0, y0, w, h].join(" "));
    svg.setAttribute("width", String(Math.round(w))); svg.setAttribute("height", String(Math.round(h)));
    svg.setAttribute("font-family", "Noto Sans, Noto Sans CJK SC, sans-serif");
    function el(tag, attrs, parent) {
      var e = document.createElementNS(NS, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
      (parent || svg).appendChild(e); return e;
    }
    el("rect", { x: x0, y: y0, width: w, height: h, fill: "#ffffff" });
    var title = el("text", { x: x0 + 20, y: y0 + 30, "font-size": 22, "font-weight": "bold" });
    title.textContent = meta.title || "";
    axis.forEach(function (t) {
      el("line", { x1: t[0], x2: t[0], y1: y0 + 50, y2: y0 + h, stroke: "#dee2e6", "stroke-dasharray": "6 6" });
      el("text", { x: t[0], y: y0 + 48, "text-anchor": "middle", "font-size": 14, fill: "#495057" }).textContent = String(t[1]);
    });
    var drawn = {};
    data.edges.get().forEach(function (e) {
      var from = outer(e.from), to = outer(e.to), a = pos[from], b = pos[to];
      var key = from + " -> " + to;
      if (!a || !b || from === to || (drawn[key] && !(e.width > 2))) { return; }
      drawn[key] = true;
      el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: e.width > 2 ? "#d6336c" : "#adb5bd",
                   "stroke-width": e.width || 1, "stroke-dasharray": e.dashes ? "5 4" : "none" });
    });
    visible.forEach(function (id) {
      var p = pos[id];
      if (!p) { return; }
      if (members[id]) {
        var name = String(clusters[String(id).replace(/^cluster:/, "")] || id);
        var bw = Math.max(160, name.length * 8 + 24);
        el("rect", { x: p.x - bw / 2, y: p.y - 14, width: bw, height: 28, rx: 4, fill: "#a5d8ff", stroke: "#1971c2",
                     "stroke-width": 2, "class": "cluster" });
        el("text", { x: p.x, y: p.y + 5, "text-anchor": "middle", "font-size": 13, "font-weight": "bold",
                     fill: "#212529", "class": "cluster-label" }).textContent = name;
        members[id].forEach(function (n, i) {
          el("text", { x: p.x, y: p.y + 32 + 14 * i, "text-anchor": "middle", "font-size": 11, fill: "#495057",
                       "class": "member" }).textContent = String(n.fullLabel || n.label || "");
        });
        return;
      }
      var n = data.nodes.get(id);
      if (!n) { return; }
      el("circle", { cx: p.x, cy: p.y, r: 9, fill: colourOf(n), stroke: "#343a40" });
      var t = el("text", { x: p.x, y: p.y + 24, "text-anchor": "middle", "font-size": 12, fill: "#212529" });
      String(n.label || "").split("\n").forEach(function (line, i) {
        var s = el("tspan", { x: p.x, dy: i ? 14 : 0 }, t); s.textContent = line;
      });
    });
    return new XMLSerializer().serializeToString(svg);
  };
  document.getElementById("download-png").addEventListener("click", function () {
    download(fileBase + ".png", state.pngDataUrl());
  });
  document.getElementById("download-svg").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([state.svgText()], { type: "image/svg+xml" }));
    download(fileBase + ".svg", url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
  });

  var progress = document.getElementById("progress");
  var bar = document.getElementById("progress-bar");
  function settle() {
    if (state.settled) { return; }
    network.setOptions({ physics: { enabled: false } });
    state.settled = true;
    state.settleMs = performance.now() - t0;
    progress.className = "done";
    document.body.setAttribute("data-settled", "true");
  }
  network.on("stabilizationProgress", function (p) {
    bar.style.width = Math.round(100 * p.iterations / Math.max(1, p.total)) + "%";
  });
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (!nodes.length || !(options.physics && options.physics.enabled !== false)) { settle(); }

  network.on("hoverNode", function (p) { showTip(nodeInfo.get(String(p.node)) || [], p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("hoverEdge", function (p) { showTip(edgeInfo.get(String(p.edge)) || [], p.pointer.DOM); });
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  network.on("click", function (p) {
    if (p.nodes.length) { showDetails(nodeInfo.get(String(p.nodes[0])) || []); }
    else if (p.edges.length) { showDetails(edgeInfo.get(String(p.edges[0])) || []); }
    else { details.hidden = true; }
  });

  var physicsOn = false;
  document.getElementById("physics").addEventListener("click", function () {
    physicsOn = !physicsOn;
    network.setOptions({ physics: { enabled: physicsOn, stabilization: { enabled: false } } });
    text(this, physicsOn ? "Freeze" : "Relayout");
  });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: true }); });

  // Search: exact name first, then prefix, then substring; English or Chinese.
  var list = document.getElementById("names");
  var seen = new Set();
  labels.forEach(function (l) {
    l.names.forEach(function (name) {
      if (seen.has(name)) { return; }
      seen.add(name);
      var opt = document.createElement("option");
      opt.value = name;
      list.appendChild(opt);
    });
  });
  function find(query) {
    var q = query.trim().toLocaleLowerCase();
    if (!q) { return null; }
    var tests = [function (s) { return s === q; }, function (s) { return s.indexOf(q) === 0; },
                 function (s) { return s.indexOf(q) >= 0; }];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < labels.length; i++) {
        if (labels[i].folded.some(tests[t])) { return labels[i].id; }
      }
    }
    return null;
  }
  state.focus = function (query) {
    var status = document.getElementById("search-status");
    var id = find(String(query));
    if (id == null) { text(status, "no match"); return null; }
    text(status, "");
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showDetails(nodeInfo.get(String(id)) || []);
    return id;
  };
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    state.focus(document.getElementById("search").value);
  });
})();
