/* techreg timeline: builds a vis-timeline from the JSON island; every data string is set as text. */
(function () {
  "use strict";
  var state = window.techreg = { ready: false, timeline: null };
  var payload = JSON.parse(document.getElementById("techreg-data").textContent);
  function make(tag, cls, value) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (value !== undefined && value !== null) { el.textContent = String(value); }
    return el;
  }
  document.getElementById("title").textContent = payload.title;
  document.getElementById("lane-kind").textContent = payload.laneKind;
  document.getElementById("counts").textContent =
    payload.marks.length + " actions · " + payload.refs.length + " listings and laws";

  var REF = "__ref__";
  var groups = [{ id: REF, content: "", text: "Listings and laws", order: 0 }];
  payload.lanes.forEach(function (lane, i) { groups.push({ id: "g" + i, content: "", text: lane, order: i + 1 }); });
  var laneId = {};
  payload.lanes.forEach(function (lane, i) { laneId[lane] = "g" + i; });
  var info = {};
  var items = [];
  function nextDay(iso) {
    var d = new Date(iso + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10);
  }
  payload.marks.forEach(function (m, i) {
    var id = "m" + i;
    var item = { id: id, group: laneId[m.lane], start: m.date, content: "", mark: m };
    if (m.end) { item.end = m.end; item.type = "range"; } else { item.type = "box"; }
    items.push(item);
    var rows = [["", m.label], ["type", m.kind], ["date", m.date + (m.end ? " – " + m.end : "")], ["lane", m.lane]];
    if (m.amount) { rows.push(["amount", m.amount]); }
    if (m.converted) { rows.push(["converted", m.converted]); }
    if (m.about.length) { rows.push(["about", m.about.join(", ")]); }
    m.sources.forEach(function (s) { rows.push(["source", (payload.sources[s] || s)]); });
    info[id] = rows;
  });
  payload.refs.forEach(function (r, i) {
    var id = "r" + i;
    items.push({ id: id, group: REF, start: r.date, type: "box", content: "", className: "ref", ref: r });
    items.push({ id: "b" + i, start: r.date, end: nextDay(r.date), type: "background", content: "", className: "ref-" + r.kind });
    var rows = [["", r.label], ["date", r.date]];
    r.sources.forEach(function (s) { rows.push(["source", (payload.sources[s] || s)]); });
    info[id] = rows;
  });

  function template(item) {
    var box = make("div");
    if (item.mark) {
      var m = item.mark;
      box.appendChild(make("div", "tr-head", m.date + "  " + m.kind));
      box.appendChild(make("div", "tr-label", m.label));
      if (m.amount) { box.appendChild(make("div", "tr-amount", m.amount)); }
      if (m.converted) { box.appendChild(make("div", "tr-converted", "(" + m.converted + ")")); }
    } else if (item.ref) {
      box.appendChild(make("div", "tr-head", item.ref.date));
      box.appendChild(make("div", "tr-label", item.ref.label));
    }
    return box;
  }
  function groupTemplate(group) { return group ? make("div", "", group.text) : make("div"); }

  var details = document.getElementById("details");
  var body = document.getElementById("details-body");
  document.getElementById("details-close").addEventListener("click", function () { details.hidden = true; });
  function show(rows) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (r, i) {
      var row = make("div", i === 0 ? "row head" : "row");
      if (i > 0) { row.appendChild(make("span", "k", r[0] + ":")); }
      row.appendChild(make("span", "v", r[1]));
      body.appendChild(row);
    });
    details.hidden = false;
  }

  function shift(iso, days) {
    var d = new Date(iso + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + days); return d.toISOString().slice(0, 10);
  }
  var first = shift(payload.span[0], -20), last = shift(payload.span[1], 90);
  var options = {
    template: template, groupTemplate: groupTemplate, stack: true, align: "left", orientation: { axis: "both" },
    selectable: true, editable: false, zoomable: true, margin: { item: { horizontal: 4, vertical: 6 } },
    start: first, end: last, groupOrder: "order", tooltip: { followMouse: false }, showCurrentTime: false
  };
  var timeline = new vis.Timeline(document.getElementById("timeline"), new vis.DataSet(items),
                                  new vis.DataSet(groups), options);
  state.timeline = timeline;
  state.items = items;
  timeline.on("select", function (props) {
    if (props.items.length && info[props.items[0]]) { show(info[props.items[0]]); }
  });
  document.getElementById("fit").addEventListener("click", function () { timeline.fit(); });
  // Ready once every mark and reference is drawn (the window shows the whole span).
  var expected = payload.marks.length + payload.refs.length;
  timeline.on("changed", function () {
    if (state.ready || document.querySelectorAll(".vis-item .tr-label").length < expected) { return; }
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
  });
})();
