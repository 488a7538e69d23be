// Draws the diff embedded in the page (#diff) with vis-network: added edges and nodes green,
// removed ones dashed red, edges whose bandwidth changed amber, the nodes around them grey. The
// page's tables hold the same changes as text.
(function () {
  "use strict";
  var embedded = document.getElementById("diff");
  if (embedded === null) {
    return; // An error page: nothing to draw.
  }
  var data = JSON.parse(embedded.textContent);
  var container = document.getElementById("map");
  var colours = { added: "#1a7f37", removed: "#cf222e", changed: "#bf8700", kept: "#999999" };

  var nodes = new vis.DataSet(data.nodes.map(function (node) {
    var colour = colours[node.status];
    return {
      id: node.id,
      label: node.title,
      title: node.id + " (" + node.status + ")",
      shape: "box",
      color: { background: node.status === "kept" ? "#f4f4f4" : "#ffffff", border: colour },
      borderWidth: node.status === "kept" ? 1 : 3,
      shapeProperties: { borderDashes: node.status === "removed" ? [6, 4] : false }
    };
  }));
  function edges(list, status) {
    return list.map(function (edge) {
      return {
        id: status + ":" + edge.id,
        from: edge.source,
        to: edge.target,
        label: edge.port + "/" + edge.protocol,
        title: status + ": " + edge.mainstat,
        color: { color: colours[status] },
        dashes: status === "removed",
        width: 2,
        arrows: "to"
      };
    });
  }
  var edgeSet = new vis.DataSet(
    edges(data.added, "added").concat(edges(data.removed, "removed"), edges(data.changed, "changed")));
  var network = new vis.Network(container, { nodes: nodes, edges: edgeSet }, {
    layout: { randomSeed: 7 },
    physics: { stabilization: { iterations: 200 } },
    edges: { font: { align: "middle", size: 11 }, smooth: { type: "dynamic" } }
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
  });
  // For tests and scripts: what was drawn, by kind.
  container.setAttribute("data-nodes", String(nodes.length));
  ["added", "removed", "changed"].forEach(function (status) {
    container.setAttribute("data-" + status, String(edgeSet.get({
      filter: function (edge) { return edge.id.indexOf(status + ":") === 0; }
    }).length));
  });
  network.once("afterDrawing", function () {
    container.setAttribute("data-drawn", "true");
  });
})();
