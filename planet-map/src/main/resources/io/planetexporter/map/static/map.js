// Draws the graph embedded in the page (#graph) with vis-network, and shows a node's or an edge's
// details on click. The tables of the page hold the same nodes and edges as text.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph").textContent);
  var container = document.getElementById("map");
  var details = document.getElementById("details");
  var ids = document.getElementById("node-ids");

  data.nodes.forEach(function (node) {
    var option = document.createElement("option");
    option.value = node.id;
    ids.appendChild(option);
  });

  function rate(bps) {
    if (bps === undefined) {
      return "n/a";
    }
    var units = ["B/s", "kB/s", "MB/s", "GB/s", "TB/s"];
    var unit = 0;
    while (bps >= 999.95 && unit < units.length - 1) {
      bps /= 1000;
      unit++;
    }
    return (unit === 0 && bps === Math.round(bps) ? bps.toFixed(0) : bps.toFixed(1)) + " " + units[unit];
  }

  // Edge width grows with the logarithm of its bandwidth: 1 px without byte data, up to 12 px.
  function width(edge) {
    var total = (edge.egress_bps || 0) + (edge.ingress_bps || 0);
    return Math.min(12, 1 + 1.5 * Math.log10(1 + total));
  }

  function show(rows) {
    details.textContent = "";
    var list = document.createElement("dl");
    rows.forEach(function (row) {
      var term = document.createElement("dt");
      term.textContent = row[0];
      var value = document.createElement("dd");
      value.textContent = row[1];
      list.appendChild(term);
      list.appendChild(value);
    });
    details.appendChild(list);
  }

  function showNode(node) {
    delete details.dataset.edge;
    var served = {};
    var processes = {};
    data.edges.forEach(function (edge) {
      if (edge.target === node.id) {
        served[edge.port + "/" + edge.protocol] = true;
      }
      if (edge.source === node.id || edge.target === node.id) {
        edge.processes.forEach(function (p) { processes[p] = true; });
      }
    });
    show([
      ["Node", node.id],
      ["Hosts", String(node.hosts)],
      ["Ports served", Object.keys(served).sort().join(", ") || "none"],
      ["Processes", Object.keys(processes).sort().join(", ") || "none"],
      ["In", rate(node.in_bps)],
      ["Out", rate(node.out_bps)]
    ]);
  }

  function showEdge(edge) {
    details.dataset.edge = edge.id;
    show([
      ["Edge", edge.source + " \u2192 " + edge.target],
      ["Port", edge.port + "/" + edge.protocol],
      ["Processes", edge.processes.join(", ") || "none"],
      ["Egress (from " + edge.source + ")", rate(edge.egress_bps)],
      ["Ingress (to " + edge.source + ")", rate(edge.ingress_bps)],
      ["Bytes from", edge.bytes_from || "no byte data"]
    ]);
    if (edge.bytes_from) {
      history(edge);
    }
  }

  // The edge's bytes/s over the page's range (/api/edge: Prometheus range queries), as a line.
  function history(edge) {
    var range = document.getElementById("range").value;
    var url = "/api/edge?" + ["source", "target", "port", "protocol"].map(function (key) {
      return key + "=" + encodeURIComponent(edge[key]);
    }).join("&") + "&range=" + encodeURIComponent(range);
    fetch(url).then(function (response) { return response.json(); }).then(function (answer) {
      var points = (answer.points || []).map(function (p) {
        return [p.time, (p.egress_bps || 0) + (p.ingress_bps || 0)];
      });
      if (points.length < 2 || details.dataset.edge !== edge.id) {
        return;
      }
      var w = 240, h = 48, t0 = points[0][0], t1 = points[points.length - 1][0];
      var max = Math.max.apply(null, points.map(function (p) { return p[1]; })) || 1;
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 " + w + " " + h);
      svg.setAttribute("class", "history");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "Bytes/s over the last " + answer.range + ", one point per " +
        answer.step + ", up to " + rate(max));
      var line = document.createElementNS(ns, "polyline");
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", "currentColor");
      line.setAttribute("points", points.map(function (p) {
        return ((p[0] - t0) / (t1 - t0) * w).toFixed(1) + "," + (h - p[1] / max * (h - 2) - 1).toFixed(1);
      }).join(" "));
      svg.appendChild(line);
      var caption = document.createElement("p");
      caption.textContent = "Last " + answer.range + ": up to " + rate(max);
      details.appendChild(svg);
      details.appendChild(caption);
    });
  }

  var focus = document.getElementById("hostgroup").value;
  var nodes = new vis.DataSet(data.nodes.map(function (node) {
    return {
      id: node.id,
      label: node.title + "\n" + node.subtitle,
      title: node.mainstat + ", " + node.secondarystat,
      color: node.id === focus ? { background: "#ffd27f", border: "#c07f00" } : undefined,
      shape: "box"
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (edge) {
    return {
      id: edge.id,
      from: edge.source,
      to: edge.target,
      label: edge.port + "/" + edge.protocol,
      title: edge.mainstat,
      width: width(edge),
      arrows: "to"
    };
  }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    layout: { randomSeed: 7 },
    physics: { stabilization: { iterations: 200 } },
    edges: { font: { align: "middle", size: 11 }, smooth: { type: "dynamic" } },
    interaction: { hover: true }
  });
  // Once laid out, the drawing stays still (and costs no CPU) until the user drags a node.
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
  });
  network.on("click", function (event) {
    if (event.nodes.length > 0) {
      showNode(data.nodes.find(function (n) { return n.id === event.nodes[0]; }));
    } else if (event.edges.length > 0) {
      showEdge(data.edges.find(function (e) { return e.id === event.edges[0]; }));
    }
  });
  network.on("doubleClick", function (event) {
    if (event.nodes.length > 0) {
      document.getElementById("hostgroup").value = event.nodes[0];
      document.getElementById("search").submit();
    }
  });
  // For tests and scripts: what was drawn.
  container.setAttribute("data-nodes", String(nodes.length));
  container.setAttribute("data-edges", String(edges.length));
  network.once("afterDrawing", function () {
    container.setAttribute("data-drawn", "true");
  });
})();
