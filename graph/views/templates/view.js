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
