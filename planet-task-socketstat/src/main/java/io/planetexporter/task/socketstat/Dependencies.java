package io.planetexporter.task.socketstat;

import java.util.List;

/** The series socketstat serves, each list sorted and free of duplicates. */
record Dependencies(List<Peer> upstreams, List<Peer> downstreams, List<Server> servers) {

  Dependencies {
    upstreams = List.copyOf(upstreams);
    downstreams = List.copyOf(downstreams);
    servers = List.copyOf(servers);
  }
}
