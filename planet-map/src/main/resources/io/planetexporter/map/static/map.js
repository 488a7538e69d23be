// planet-map's page: draws the graph embedded in it (#graph) on a canvas, from a layout computed
// once (no live physics: the main thread is idle as soon as it has drawn), opens a large graph on an
// overview of grouped nodes, and keeps every view state in the URL so that a link reproduces the
// view. The tables hold the same nodes and edges as text, sorted and paged here.
// Why and the sizes: docs/planet-map.md, "The page at fleet scale".
(function () {
  "use strict";

  // Above this many nodes the map opens on an overview: nodes grouped by namespace, then by traffic.
  const OVERVIEW_NODES = 100;
  // Up to this many drawn nodes the layout is force-directed (a fixed number of steps from a fixed
  // start, so the same graph is drawn the same way); above, a circle ordered by group.
  const FORCE_NODES = 300;
  // Arrow heads and labels only up to these sizes: above, they are clutter and cost frames.
  const ARROW_EDGES = 3000;
  const LABEL_NODES = 300;
  // Rows per page of the tables.
  const TABLE_ROWS = 100;
  // Edge health thresholds, as the legend says them.
  const RETRANSMITTED_FAILING = 0.02;
  const RETRANSMITTED_DEGRADED = 0.005;
  // The group of the nodes an overview folds beyond its top ones by traffic.
  const OTHER = "*";
  const FOCUS_COLOUR = "#ffd27f";
  const HEALTH = {
    unknown: { colour: "#a7b0ba", rank: 0, text: "no health figures" },
    healthy: { colour: "#4f79a8", rank: 1, text: "healthy" },
    degraded: { colour: "#e69500", rank: 2, text: "degraded: over 0.5 % of bytes retransmitted" },
    failing: {
      colour: "#d62728",
      rank: 3,
      text: "failing: connects that fail, or over 2 % of bytes retransmitted"
    }
  };

  const data = JSON.parse(document.getElementById("graph").textContent);
  const container = document.getElementById("map");
  const details = document.getElementById("details");
  const status = document.getElementById("status");
  const url = new URLSearchParams(location.search);
  const state = {
    expanded: new Set(url.getAll("expand")),
    select: url.get("select") || "",
    search: url.get("search") || "",
    problems: url.get("problems") === "1",
    sort: { nodes: url.get("nodes_sort") || "", edges: url.get("edges_sort") || "" }
  };
  const rangeText = document.getElementById("range").value;
  const focus = document.getElementById("hostgroup").value;

  // ---- figures

  function rate(bps) {
    if (bps === undefined) {
      return "n/a";
    }
    const units = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"];
    let unit = 0;
    while (bps >= 999.95 && unit < units.length - 1) {
      bps /= 1000;
      unit++;
    }
    return (unit === 0 && bps === Math.round(bps) ? bps.toFixed(0) : bps.toFixed(1)) + " " + units[unit];
  }

  function percent(ratio) {
    return ratio === undefined ? "n/a" : (ratio * 100).toFixed(2) + " %";
  }

  function perSecond(value) {
    return value === undefined ? "n/a" : value.toPrecision(3) + "/s";
  }

  function millis(seconds) {
    return seconds === undefined ? "n/a" : (seconds * 1000).toFixed(1) + " ms";
  }

  function total(edge) {
    return (edge.egress_bps || 0) + (edge.ingress_bps || 0);
  }

  function traffic(node) {
    return (node.in_bps || 0) + (node.out_bps || 0);
  }

  function health(edge) {
    const failures = edge.connect_failures_per_second;
    const retransmitted = edge.retransmitted_ratio;
    if (failures > 0 || retransmitted > RETRANSMITTED_FAILING) {
      return "failing";
    }
    if (retransmitted > RETRANSMITTED_DEGRADED) {
      return "degraded";
    }
    return failures === undefined && retransmitted === undefined && edge.rtt_seconds === undefined
      ? "unknown" : "healthy";
  }

  // A Go duration (1h30m, 5m, 90s) in seconds.
  function seconds(duration) {
    const scale = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
    let sum = 0;
    duration.replace(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g, function (all, n, unit) {
      sum += Number(n) * scale[unit];
      return all;
    });
    return sum;
  }

  // The `at` of the URL (RFC 3339 or Unix seconds) in Unix seconds; now when absent.
  function atSeconds() {
    const at = url.get("at") || "";
    if (at === "") {
      return Date.now() / 1000;
    }
    return /^\d+(\.\d+)?$/.test(at) ? Number(at) : Date.parse(at) / 1000;
  }

  function rfc3339(unixSeconds) {
    return new Date(Math.round(unixSeconds) * 1000).toISOString().replace(".000Z", "Z");
  }

  // ---- what is drawn: the graph (problems only, if asked), its nodes grouped, one edge per pair

  const problem = (edge) => HEALTH[health(edge)].rank >= HEALTH.degraded.rank;

  function visible() {
    if (!state.problems) {
      return { nodes: data.nodes, edges: data.edges };
    }
    const edges = data.edges.filter(problem);
    const ends = new Set();
    edges.forEach((e) => { ends.add(e.source); ends.add(e.target); });
    return { nodes: data.nodes.filter((n) => ends.has(n.id)), edges: edges };
  }

  // A node's namespace: the hostgroup's prefix before "/" (a workload's namespace, shop/checkout →
  // shop); hosts named by their address are grouped together; null when it has none.
  function namespace(id) {
    const slash = id.indexOf("/");
    if (slash > 0) {
      return id.slice(0, slash);
    }
    return /^[0-9.]+$/.test(id) || id.indexOf(":") >= 0 ? "addresses" : null;
  }

  // The overview's group of each node (by id), none below OVERVIEW_NODES: namespaces of two nodes
  // or more; if that still leaves more than OVERVIEW_NODES, the top ones by traffic stay and the
  // rest is folded into one group.
  function grouping(nodes) {
    const groupOf = new Map();
    if (nodes.length <= OVERVIEW_NODES) {
      return groupOf;
    }
    const members = new Map();
    nodes.forEach((n) => {
      const name = namespace(n.id);
      if (name !== null) {
        members.set(name, (members.get(name) || 0) + 1);
      }
    });
    const units = new Map();
    nodes.forEach((n) => {
      const name = namespace(n.id);
      const key = name !== null && members.get(name) > 1 ? "g:" + name : "n:" + n.id;
      if (key[0] === "g") {
        groupOf.set(n.id, name);
      }
      units.set(key, (units.get(key) || 0) + traffic(n));
    });
    if (units.size > OVERVIEW_NODES) {
      const rest = new Set(Array.from(units.keys())
        .sort((a, b) => units.get(b) - units.get(a) || (a < b ? -1 : 1))
        .slice(OVERVIEW_NODES - 1));
      nodes.forEach((n) => {
        const name = groupOf.get(n.id);
        if (rest.has(name === undefined ? "n:" + n.id : "g:" + name)) {
          groupOf.set(n.id, OTHER);
        }
      });
    }
    return groupOf;
  }

  function groupLabel(name, size) {
    return (name === OTHER ? "other nodes" : name) + " (" + size + ")";
  }

  // Nodes (units: a node, or a closed group) and links (one per ordered pair of units).
  function model() {
    const graph = visible();
    const groupOf = grouping(graph.nodes);
    const unitOf = new Map();
    const units = new Map();
    graph.nodes.forEach((node) => {
      const group = groupOf.get(node.id);
      const closed = group !== undefined && !state.expanded.has(group);
      const key = closed ? "g:" + group : "n:" + node.id;
      let unit = units.get(key);
      if (unit === undefined) {
        unit = { key: key, group: group, closed: closed, node: closed ? null : node, members: [],
          bps: 0, internal: 0, x: 0, y: 0 };
        units.set(key, unit);
      }
      unit.members.push(node);
      unit.bps += traffic(node);
      unitOf.set(node.id, unit);
    });
    units.forEach((unit) => {
      unit.label = unit.closed ? groupLabel(unit.group, unit.members.length) : unit.node.id;
      unit.radius = (unit.closed ? 9 : 6) + 1.2 * Math.log10(1 + unit.bps);
    });
    const links = new Map();
    graph.edges.forEach((edge) => {
      const from = unitOf.get(edge.source);
      const to = unitOf.get(edge.target);
      if (from === undefined || to === undefined) {
        return;
      }
      if (from === to) {
        from.internal++;
        return;
      }
      const key = JSON.stringify([from.key, to.key]);
      let link = links.get(key);
      if (link === undefined) {
        link = { key: key, from: from, to: to, edges: [], bps: 0, health: "unknown" };
        links.set(key, link);
      }
      link.edges.push(edge);
      link.bps += total(edge);
      const h = health(edge);
      if (HEALTH[h].rank > HEALTH[link.health].rank) {
        link.health = h;
      }
    });
    const list = Array.from(links.values());
    // Widths by bandwidth, on a log scale from the thinnest to the busiest line drawn: 0.5 to 6 px.
    const busiest = Math.log10(1 + list.reduce((max, l) => Math.max(max, l.bps), 0)) || 1;
    list.forEach((link) => { link.width = 0.5 + 5.5 * Math.log10(1 + link.bps) / busiest; });
    return { graph: graph, groupOf: groupOf, units: units, links: list };
  }

  // ---- layout, computed once per view

  function layout(units, links) {
    const list = Array.from(units.values()).sort((a, b) => {
      const ga = a.group || "", gb = b.group || "";
      return ga < gb ? -1 : ga > gb ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    });
    if (list.length > FORCE_NODES) {
      circle(list);
      return;
    }
    // Each connected part on its own, the parts side by side in rows, largest first: a view of
    // problems only is many small parts, which one layout would crowd into the middle.
    const parent = new Map(list.map((u) => [u, u]));
    const root = (u) => {
      while (parent.get(u) !== u) {
        u = parent.get(u);
      }
      return u;
    };
    links.forEach((l) => parent.set(root(l.from), root(l.to)));
    const parts = new Map();
    list.forEach((u) => {
      const r = root(u);
      if (!parts.has(r)) {
        parts.set(r, { units: [], links: [] });
      }
      parts.get(r).units.push(u);
    });
    links.forEach((l) => parts.get(root(l.from)).links.push(l));
    const sorted = Array.from(parts.values()).sort((a, b) => b.units.length - a.units.length);
    const sizes = sorted.map((part) => {
      const radius = circle(part.units);
      if (part.units.length > 2) {
        force(part.units, part.links, radius);
      }
      return 2 * radius + 60;
    });
    const width = 1.5 * Math.sqrt(sizes.reduce((sum, size) => sum + size * size, 0));
    let x = 0, y = 0, row = 0;
    sorted.forEach((part, i) => {
      if (x > 0 && x + sizes[i] > width) {
        x = 0;
        y += row;
        row = 0;
      }
      part.units.forEach((u) => { u.x += x + sizes[i] / 2; u.y += y + sizes[i] / 2; });
      x += sizes[i];
      row = Math.max(row, sizes[i]);
    });
  }

  // Units on a circle around (0, 0), in their order; returns its radius.
  function circle(list) {
    const n = list.length;
    const radius = n === 1 ? 0 : Math.max(50, n * 20 / (2 * Math.PI));
    list.forEach((unit, i) => {
      // From the top: the two nodes of a pair one above the other, their labels apart.
      const angle = 2 * Math.PI * i / n - Math.PI / 2;
      unit.x = radius * Math.cos(angle);
      unit.y = radius * Math.sin(angle);
    });
    return radius;
  }

  // Fruchterman–Reingold from the circle: a fixed number of cooling steps, nothing random.
  function force(list, links, radius) {
    const n = list.length;
    const k = 2 * radius / Math.sqrt(n);
    const index = new Map(list.map((unit, i) => [unit, i]));
    const x = Float64Array.from(list, (u) => u.x);
    const y = Float64Array.from(list, (u) => u.y);
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    const pairs = links.map((l) => [index.get(l.from), index.get(l.to)]);
    const steps = 150;
    let temperature = radius / 4;
    // Weaker in a small part, whose few nodes it would otherwise pull onto each other.
    const gravity = Math.min(0.5, Math.max(0.02, 0.02 * n));
    for (let step = 0; step < steps; step++) {
      dx.fill(0);
      dy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const ex = x[i] - x[j], ey = y[i] - y[j];
          const d2 = Math.max(0.01, ex * ex + ey * ey);
          const f = k * k / d2;
          dx[i] += ex * f; dy[i] += ey * f;
          dx[j] -= ex * f; dy[j] -= ey * f;
        }
      }
      pairs.forEach(([i, j]) => {
        const ex = x[i] - x[j], ey = y[i] - y[j];
        const d = Math.sqrt(ex * ex + ey * ey) || 0.01;
        const f = d / k;
        dx[i] -= ex * f; dy[i] -= ey * f;
        dx[j] += ex * f; dy[j] += ey * f;
      });
      for (let i = 0; i < n; i++) {
        // A little gravity keeps parts that are not connected on the page.
        dx[i] -= x[i] * gravity;
        dy[i] -= y[i] * gravity;
        const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
        const move = Math.min(d, temperature);
        x[i] += dx[i] / d * move;
        y[i] += dy[i] / d * move;
      }
      temperature *= 0.97;
    }
    // Back to the circle's size, so that nodes are as far apart as on the circle.
    let cx = 0, cy = 0, spread = 0;
    x.forEach((v, i) => { cx += v / n; cy += y[i] / n; });
    x.forEach((v, i) => { spread = Math.max(spread, Math.hypot(v - cx, y[i] - cy)); });
    const scale = radius / (spread || 1);
    list.forEach((unit, i) => { unit.x = (x[i] - cx) * scale; unit.y = (y[i] - cy) * scale; });
  }

  // ---- drawing

  const canvas = document.createElement("canvas");
  canvas.setAttribute("aria-hidden", "true");
  container.appendChild(canvas);
  const context = canvas.getContext("2d");
  const view = { k: 1, x: 0, y: 0 };
  let current = null;
  let pending = false;

  function resize() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(container.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(container.clientHeight * ratio));
    canvas.style.width = container.clientWidth + "px";
    canvas.style.height = container.clientHeight + "px";
  }

  function fit() {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    current.units.forEach((u) => {
      minX = Math.min(minX, u.x); maxX = Math.max(maxX, u.x);
      minY = Math.min(minY, u.y); maxY = Math.max(maxY, u.y);
    });
    const width = container.clientWidth, height = container.clientHeight, margin = 40;
    view.k = Math.min((width - 2 * margin) / Math.max(1, maxX - minX),
      (height - 2 * margin) / Math.max(1, maxY - minY), 4);
    view.x = width / 2 - view.k * (minX + maxX) / 2;
    view.y = height / 2 - view.k * (minY + maxY) / 2;
  }

  function screen(unit) {
    return [unit.x * view.k + view.x, unit.y * view.k + view.y];
  }

  function redraw() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; draw(); });
    }
  }

  function selectedUnit() {
    return state.select.startsWith("n:") || state.select.startsWith("g:")
      ? current.units.get(state.select) : undefined;
  }

  function draw() {
    const ratio = canvas.width / Math.max(1, container.clientWidth);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    const chosen = selectedUnit();
    const dense = current.links.length > ARROW_EDGES;
    // One path per colour and width: a few strokes for thousands of edges.
    const batches = new Map();
    current.links.forEach((link) => {
      const key = link.health + " " + Math.round(link.width * 2) / 2;
      let batch = batches.get(key);
      if (batch === undefined) {
        batch = { health: link.health, width: Math.round(link.width * 2) / 2, links: [] };
        batches.set(key, batch);
      }
      batch.links.push(link);
    });
    const ordered = Array.from(batches.values())
      .sort((a, b) => HEALTH[a.health].rank - HEALTH[b.health].rank);
    ordered.forEach((batch) => {
      context.globalAlpha = HEALTH[batch.health].rank >= HEALTH.degraded.rank ||
        current.links.length <= LABEL_NODES ? 1 : 0.35;
      context.strokeStyle = context.fillStyle = HEALTH[batch.health].colour;
      context.lineWidth = batch.width;
      context.beginPath();
      batch.links.forEach((link) => line(link));
      context.stroke();
      if (!dense) {
        context.beginPath();
        batch.links.forEach((link) => arrow(link));
        context.fill();
      }
    });
    context.globalAlpha = 1;
    const links = chosen === undefined ? current.links.filter((l) => l.key === state.select)
      : current.links.filter((l) => l.from === chosen || l.to === chosen);
    if (links.length > 0) {
      context.strokeStyle = context.fillStyle = "#1b1b1b";
      links.forEach((link) => {
        context.lineWidth = link.width + 1;
        context.beginPath();
        line(link);
        context.stroke();
        context.beginPath();
        arrow(link);
        context.fill();
      });
    }
    const labels = current.units.size <= LABEL_NODES || view.k > 2;
    context.font = "11px sans-serif";
    context.textAlign = "center";
    context.textBaseline = "top";
    current.units.forEach((unit) => {
      const [x, y] = screen(unit);
      context.beginPath();
      if (unit.closed) {
        const r = unit.radius;
        context.rect(x - r, y - r, 2 * r, 2 * r);
      } else {
        context.arc(x, y, unit.radius, 0, 2 * Math.PI);
      }
      context.fillStyle = unit.node !== null && unit.node.id === focus ? FOCUS_COLOUR
        : unit.closed ? "#dfe7f1" : "#ffffff";
      context.fill();
      context.lineWidth = unit === chosen ? 3 : 1;
      context.strokeStyle = unit === chosen ? "#1b1b1b" : "#56606b";
      context.stroke();
      if (labels || unit.closed || unit === chosen) {
        const label = unit.label.length > 40 ? unit.label.slice(0, 39) + "\u2026" : unit.label;
        // A white halo keeps a label readable over the lines it crosses.
        context.lineWidth = 3;
        context.strokeStyle = "rgba(255, 255, 255, 0.85)";
        context.strokeText(label, x, y + unit.radius + 2);
        context.fillStyle = "#222222";
        context.fillText(label, x, y + unit.radius + 2);
      }
    });
  }

  function ends(link) {
    const [x1, y1] = screen(link.from);
    const [x2, y2] = screen(link.to);
    const d = Math.hypot(x2 - x1, y2 - y1) || 1;
    // To the edge of the target's shape, where the arrow's tip goes.
    const back = link.to.radius + 1;
    return [x1, y1, x2 - (x2 - x1) / d * back, y2 - (y2 - y1) / d * back, (x2 - x1) / d, (y2 - y1) / d];
  }

  function line(link) {
    const [x1, y1, x2, y2] = ends(link);
    context.moveTo(x1, y1);
    context.lineTo(x2, y2);
  }

  function arrow(link) {
    const [, , x, y, ux, uy] = ends(link);
    const size = 5 + link.width;
    context.moveTo(x, y);
    context.lineTo(x - ux * size - uy * size / 2, y - uy * size + ux * size / 2);
    context.lineTo(x - ux * size + uy * size / 2, y - uy * size - ux * size / 2);
    context.closePath();
  }

  // ---- what is under the pointer

  function unitAt(px, py) {
    let found;
    current.units.forEach((unit) => {
      const [x, y] = screen(unit);
      const reach = unit.radius + 2;
      if (Math.abs(px - x) <= reach && Math.abs(py - y) <= reach &&
          (unit.closed || Math.hypot(px - x, py - y) <= reach)) {
        found = unit;
      }
    });
    return found;
  }

  function linkAt(px, py) {
    let best, bestDistance = Infinity;
    current.links.forEach((link) => {
      const [x1, y1, x2, y2] = ends(link);
      const lx = x2 - x1, ly = y2 - y1;
      const t = Math.max(0, Math.min(1, ((px - x1) * lx + (py - y1) * ly) / (lx * lx + ly * ly || 1)));
      const d = Math.hypot(px - x1 - t * lx, py - y1 - t * ly);
      if (d <= Math.max(4, link.width / 2 + 2) && d < bestDistance) {
        best = link;
        bestDistance = d;
      }
    });
    return best;
  }

  // ---- the view's state in the URL

  function saveState() {
    const params = new URLSearchParams(location.search);
    params.delete("expand");
    Array.from(state.expanded).sort().forEach((g) => params.append("expand", g));
    const single = { select: state.select, search: state.search, problems: state.problems ? "1" : "",
      nodes_sort: state.sort.nodes, edges_sort: state.sort.edges };
    Object.keys(single).forEach((name) => {
      if (single[name]) {
        params.set(name, single[name]);
      } else {
        params.delete(name);
      }
    });
    history.replaceState(null, "", "?" + params.toString());
  }

  // ---- the panel

  function show(rows) {
    details.textContent = "";
    const list = document.createElement("dl");
    rows.forEach((row) => {
      const term = document.createElement("dt");
      term.textContent = row[0];
      const value = document.createElement("dd");
      value.textContent = row[1];
      list.appendChild(term);
      list.appendChild(value);
    });
    details.appendChild(list);
  }

  function button(text, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  function showNode(node) {
    delete details.dataset.edge;
    const served = new Set();
    const processes = new Set();
    data.edges.forEach((edge) => {
      if (edge.target === node.id) {
        served.add(edge.port + "/" + edge.protocol);
      }
      if (edge.source === node.id || edge.target === node.id) {
        edge.processes.forEach((p) => processes.add(p));
      }
    });
    show([
      ["Node", node.id],
      ["Hosts", String(node.hosts)],
      ["Ports served", Array.from(served).sort().join(", ") || "none"],
      ["Processes", Array.from(processes).sort().join(", ") || "none"],
      ["In", rate(node.in_bps)],
      ["Out", rate(node.out_bps)]
    ]);
  }

  function showLink(link) {
    details.dataset.edge = link.key;
    const edges = link.edges.slice().sort((a, b) => total(b) - total(a));
    const failures = edges.reduce((sum, e) => sum + (e.connect_failures_per_second || 0), 0);
    show([
      ["Edge", link.from.label + " \u2192 " + link.to.label],
      ["Ports", Array.from(new Set(edges.map((e) => e.port + "/" + e.protocol))).sort().join(", ")],
      ["Bandwidth", rate(link.bps)],
      ["Health", HEALTH[link.health].text],
      ["Connect failures", perSecond(failures)]
    ]);
    const shown = edges.slice(0, 20);
    const table = document.createElement("table");
    const caption = document.createElement("caption");
    caption.textContent = edges.length > shown.length
      ? "Its " + edges.length + " edges, the " + shown.length + " busiest" : "Its edges";
    table.appendChild(caption);
    const head = table.createTHead().insertRow();
    EDGE_COLUMNS.concat([{ title: "" }]).forEach((c) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = c.title;
      head.appendChild(th);
    });
    const body = table.createTBody();
    shown.forEach((edge) => {
      const row = body.insertRow();
      EDGE_COLUMNS.forEach((c) => { row.insertCell().textContent = c.text(edge); });
      if (edge.bytes_from || health(edge) !== "unknown") {
        row.insertCell().appendChild(button("History", () => edgeHistory(edge)));
      }
    });
    details.appendChild(table);
    if (edges.length === 1) {
      edgeHistory(edges[0]);
    }
  }

  // An edge's figures over the page's range (/api/edge: Prometheus range queries), as small lines.
  function edgeHistory(edge) {
    const params = new URLSearchParams();
    ["source", "target", "port", "protocol"].forEach((key) => params.set(key, edge[key]));
    params.set("range", rangeText);
    if (url.get("at")) {
      params.set("at", url.get("at"));
    }
    const key = details.dataset.edge;
    fetch("/api/edge?" + params.toString()).then((response) => response.json()).then((answer) => {
      const points = answer.points || [];
      if (points.length < 2 || details.dataset.edge !== key) {
        return;
      }
      details.querySelectorAll(".history").forEach((old) => old.remove());
      const figures = document.createElement("div");
      figures.className = "history";
      const heading = document.createElement("h3");
      heading.textContent = edge.source + " \u2192 " + edge.target + " " + edge.port + "/" +
        edge.protocol + ", last " + answer.range + ", one point per " + answer.step;
      figures.appendChild(heading);
      [["Bytes/s", (p) => p.egress_bps === undefined && p.ingress_bps === undefined ? undefined
        : total(p), rate],
      ["Connect failures", (p) => p.connect_failures_per_second, perSecond],
      ["Retransmitted", (p) => p.retransmitted_ratio, percent],
      ["RTT", (p) => p.rtt_seconds, millis]].forEach(([name, value, format]) => {
        const known = points.filter((p) => value(p) !== undefined).map((p) => [p.time, value(p)]);
        if (known.length >= 2) {
          figures.appendChild(spark(name, known, format));
        }
      });
      details.appendChild(figures);
    });
  }

  function spark(name, points, format) {
    const w = 240, h = 40, t0 = points[0][0], t1 = points[points.length - 1][0];
    const max = Math.max.apply(null, points.map((p) => p[1]));
    const ns = "http://www.w3.org/2000/svg";
    const figure = document.createElement("figure");
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", name + ", up to " + format(max));
    const polyline = document.createElementNS(ns, "polyline");
    polyline.setAttribute("fill", "none");
    polyline.setAttribute("stroke", "currentColor");
    polyline.setAttribute("points", points.map((p) =>
      ((p[0] - t0) / (t1 - t0 || 1) * w).toFixed(1) + "," +
      (h - p[1] / (max || 1) * (h - 2) - 1).toFixed(1)).join(" "));
    svg.appendChild(polyline);
    const caption = document.createElement("figcaption");
    caption.textContent = name + ": up to " + format(max) + ", last " + format(points[points.length - 1][1]);
    figure.appendChild(svg);
    figure.appendChild(caption);
    return figure;
  }

  function showSelection() {
    const unit = selectedUnit();
    const link = current.links.find((l) => l.key === state.select);
    if (unit !== undefined && unit.node !== null) {
      showNode(unit.node);
    } else if (link !== undefined) {
      showLink(link);
    } else {
      delete details.dataset.edge;
      details.textContent = "";
      const hint = document.createElement("p");
      hint.textContent = "Click a node or an edge for its details; a group to open it.";
      details.appendChild(hint);
    }
  }

  // ---- the tables: sorted and paged here (the page itself has their first rows only)

  const NODE_COLUMNS = [
    { title: "Node", text: (n) => n.id, value: (n) => n.id, link: true },
    { title: "Hosts", text: (n) => String(n.hosts), value: (n) => n.hosts },
    { title: "In", text: (n) => rate(n.in_bps), value: (n) => n.in_bps },
    { title: "Out", text: (n) => rate(n.out_bps), value: (n) => n.out_bps }
  ];
  const EDGE_COLUMNS = [
    { title: "Source", text: (e) => e.source, value: (e) => e.source },
    { title: "Target", text: (e) => e.target, value: (e) => e.target },
    { title: "Port", text: (e) => e.port, value: (e) => Number(e.port) || e.port },
    { title: "Protocol", text: (e) => e.protocol, value: (e) => e.protocol },
    { title: "Processes", text: (e) => e.processes.join(", "), value: (e) => e.processes.join(", ") },
    { title: "Egress", text: (e) => rate(e.egress_bps), value: (e) => e.egress_bps },
    { title: "Ingress", text: (e) => rate(e.ingress_bps), value: (e) => e.ingress_bps },
    { title: "Failures", text: (e) => perSecond(e.connect_failures_per_second),
      value: (e) => e.connect_failures_per_second },
    { title: "Retransmitted", text: (e) => percent(e.retransmitted_ratio),
      value: (e) => e.retransmitted_ratio },
    { title: "RTT", text: (e) => millis(e.rtt_seconds), value: (e) => e.rtt_seconds },
    { title: "Health", text: (e) => health(e), value: (e) => HEALTH[health(e)].rank }
  ];

  function focusLink(id) {
    const params = new URLSearchParams();
    params.set("hostgroup", id);
    params.set("depth", document.getElementById("depth").value);
    params.set("range", rangeText);
    if (url.get("at")) {
      params.set("at", url.get("at"));
    }
    return "/?" + params.toString();
  }

  function compare(a, b) {
    // Unknown figures last, whichever way.
    if (a === undefined || b === undefined) {
      return a === b ? 0 : a === undefined ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function pagedTable(element, name, columns) {
    let page = 0;
    let rows = [];
    const pager = document.createElement("nav");
    pager.setAttribute("aria-label", element.querySelector("caption").textContent + ", pages");
    element.after(pager);

    function sortKey() {
      const key = state.sort[name];
      const index = columns.findIndex((c) => c.title === key.replace(/^-/, ""));
      return { index: index, descending: key.startsWith("-") };
    }

    function head() {
      const row = document.createElement("tr");
      const { index, descending } = sortKey();
      columns.forEach((column, i) => {
        const th = document.createElement("th");
        th.scope = "col";
        if (i === index) {
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        }
        th.appendChild(button(column.title, () => {
          state.sort[name] = i === index && !descending ? "-" + column.title : column.title;
          saveState();
          update(rows);
        }));
        row.appendChild(th);
      });
      element.tHead.replaceChildren(row);
    }

    function body() {
      const tbody = document.createElement("tbody");
      rows.slice(page * TABLE_ROWS, (page + 1) * TABLE_ROWS).forEach((item) => {
        const row = tbody.insertRow();
        row.dataset[name === "nodes" ? "node" : "edge"] = item.id;
        columns.forEach((column, i) => {
          const cell = document.createElement(i === 0 && name === "nodes" ? "th" : "td");
          if (cell.tagName === "TH") {
            cell.scope = "row";
          }
          if (column.link) {
            const a = document.createElement("a");
            a.href = focusLink(item.id);
            a.textContent = column.text(item);
            cell.appendChild(a);
          } else {
            cell.textContent = column.text(item);
          }
          row.appendChild(cell);
        });
      });
      element.tBodies[0].replaceWith(tbody);
      pager.textContent = "";
      if (rows.length > TABLE_ROWS) {
        const last = Math.ceil(rows.length / TABLE_ROWS) - 1;
        const previous = button("Previous rows", () => { page--; body(); });
        previous.disabled = page === 0;
        const next = button("Next rows", () => { page++; body(); });
        next.disabled = page === last;
        const where = document.createElement("span");
        where.textContent = "rows " + (page * TABLE_ROWS + 1) + "\u2013" +
          Math.min(rows.length, (page + 1) * TABLE_ROWS) + " of " + rows.length;
        pager.append(previous, " ", where, " ", next);
      }
    }

    function update(items) {
      const { index, descending } = sortKey();
      rows = index < 0 ? items.slice() : items.slice().sort((a, b) => {
        const c = compare(columns[index].value(a), columns[index].value(b));
        return descending && c !== 0 && columns[index].value(a) !== undefined &&
          columns[index].value(b) !== undefined ? -c : c;
      });
      page = 0;
      head();
      body();
    }
    return update;
  }

  const nodeTable = pagedTable(document.getElementById("nodes"), "nodes", NODE_COLUMNS);
  const edgeTable = pagedTable(document.getElementById("edges"), "edges", EDGE_COLUMNS);

  // ---- the controls around the map

  function legend() {
    const list = document.getElementById("legend");
    Object.keys(HEALTH).forEach((name) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = HEALTH[name].colour;
      item.append(swatch, " " + HEALTH[name].text);
      list.appendChild(item);
    });
  }

  function groupControls() {
    const place = document.getElementById("groups");
    place.textContent = "";
    const open = Array.from(state.expanded).sort().filter((g) =>
      Array.from(current.groupOf.values()).indexOf(g) >= 0);
    open.forEach((group) => {
      place.appendChild(button("Close group " + (group === OTHER ? "of other nodes" : group), () => {
        state.expanded.delete(group);
        rebuild();
      }));
    });
  }

  function describe() {
    const groups = Array.from(current.units.values()).filter((u) => u.closed).length;
    const nodes = current.units.size - groups;
    let text = data.nodes.length + " nodes and " + data.edges.length + " edges; drawn: " +
      (groups > 0 ? groups + " groups and " : "") + nodes + " nodes, " + current.links.length +
      " lines (one per pair of nodes)";
    if (state.problems) {
      text += "; problems only: " + current.graph.edges.length + " edges";
    }
    if (groups > 0) {
      text += ". Overview: click a group to open it";
    }
    status.textContent = text + ".";
  }

  function rebuild(keepView) {
    current = model();
    layout(current.units, current.links);
    if (!keepView) {
      fit();
    }
    container.dataset.nodes = String(current.units.size);
    container.dataset.edges = String(current.links.length);
    container.dataset.groups = String(Array.from(current.units.values()).filter((u) => u.closed).length);
    nodeTable(current.graph.nodes);
    edgeTable(current.graph.edges);
    groupControls();
    describe();
    showSelection();
    saveState();
    redraw();
  }

  // Jumps to the first node whose id is the text, else contains it (ignoring case); opens its group.
  function find(text) {
    const wanted = text.trim().toLowerCase();
    const result = document.getElementById("find-result");
    if (wanted === "") {
      result.textContent = "";
      return;
    }
    const graph = visible();
    const node = graph.nodes.find((n) => n.id.toLowerCase() === wanted) ||
      graph.nodes.find((n) => n.id.toLowerCase().indexOf(wanted) >= 0);
    if (node === undefined) {
      result.textContent = "No node matches \u201c" + text + "\u201d.";
      return;
    }
    result.textContent = "";
    const group = current.groupOf.get(node.id);
    if (group !== undefined) {
      state.expanded.add(group);
    }
    state.select = "n:" + node.id;
    rebuild(true);
    const unit = current.units.get(state.select);
    view.k = Math.max(view.k, 1.5);
    view.x = container.clientWidth / 2 - unit.x * view.k;
    view.y = container.clientHeight / 2 - unit.y * view.k;
    redraw();
  }

  function timeControls() {
    const at = document.getElementById("at");
    at.value = url.get("at") || "";
    const range = seconds(rangeText);
    function go(unixSeconds) {
      at.value = unixSeconds >= Date.now() / 1000 ? "" : rfc3339(unixSeconds);
      document.getElementById("search").requestSubmit();
    }
    document.getElementById("earlier").addEventListener("click", () => go(atSeconds() - range));
    document.getElementById("later").addEventListener("click", () => go(atSeconds() + range));
    document.getElementById("now").addEventListener("click", () => go(Date.now() / 1000));
    // An empty `at` is now: leave it out of the URL.
    document.getElementById("search").addEventListener("submit", () => {
      at.disabled = at.value.trim() === "";
    });
    const to = atSeconds();
    const diff = new URLSearchParams();
    diff.set("from", rfc3339(to - 86400));
    diff.set("to", rfc3339(to));
    diff.set("range", rangeText);
    if (focus) {
      diff.set("hostgroup", focus);
      diff.set("depth", document.getElementById("depth").value);
    }
    document.getElementById("diff").href = "/diff?" + diff.toString();
    if (data.computed_at !== undefined) {
      const age = Math.max(0, Math.round(Date.now() / 1000 - data.computed_at));
      document.getElementById("age").textContent = "Graph computed " + age + " s before this page opened.";
    }
  }

  // ---- wiring

  const ids = document.getElementById("node-ids");
  data.nodes.forEach((node) => {
    const option = document.createElement("option");
    option.value = node.id;
    ids.appendChild(option);
  });
  legend();
  timeControls();
  const problems = document.getElementById("problems");
  problems.checked = state.problems;
  problems.addEventListener("change", () => {
    state.problems = problems.checked;
    rebuild();
  });
  document.getElementById("find").addEventListener("submit", (event) => {
    event.preventDefault();
    state.search = document.getElementById("find-node").value;
    find(state.search);
  });
  document.getElementById("find-node").value = state.search;

  let press = null;
  canvas.addEventListener("mousedown", (event) => {
    press = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("mousemove", (event) => {
    if (press !== null) {
      const mx = event.clientX - press.x, my = event.clientY - press.y;
      press.moved = press.moved || Math.hypot(mx, my) > 4;
      if (press.moved) {
        view.x = press.vx + mx;
        view.y = press.vy + my;
        redraw();
      }
    }
  });
  window.addEventListener("mouseup", (event) => {
    if (press !== null && !press.moved) {
      const box = canvas.getBoundingClientRect();
      click(event.clientX - box.left, event.clientY - box.top);
    }
    press = null;
  });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    const px = event.clientX - box.left, py = event.clientY - box.top;
    const factor = Math.exp(-event.deltaY / 500);
    view.x = px - (px - view.x) * factor;
    view.y = py - (py - view.y) * factor;
    view.k *= factor;
    redraw();
  }, { passive: false });
  canvas.addEventListener("dblclick", (event) => {
    const box = canvas.getBoundingClientRect();
    const unit = unitAt(event.clientX - box.left, event.clientY - box.top);
    if (unit !== undefined && unit.node !== null) {
      location.href = focusLink(unit.node.id);
    }
  });
  window.addEventListener("resize", () => { resize(); redraw(); });

  function click(x, y) {
    const unit = unitAt(x, y);
    if (unit !== undefined && unit.closed) {
      state.expanded.add(unit.group);
      state.select = "";
      rebuild();
      return;
    }
    const link = unit === undefined ? linkAt(x, y) : undefined;
    state.select = unit !== undefined ? unit.key : link !== undefined ? link.key : "";
    saveState();
    showSelection();
    redraw();
  }

  resize();
  rebuild();
  if (state.search) {
    find(state.search);
  }
  // The first frame drawn, on screen: the frame after the one that drew it has started.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    container.dataset.drawnMs = String(Math.round(performance.now()));
    container.dataset.drawn = "true";
  }));
})();
