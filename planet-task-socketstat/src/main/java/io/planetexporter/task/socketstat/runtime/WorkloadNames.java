package io.planetexporter.task.socketstat.runtime;

import io.planetexporter.task.socketstat.owner.ContainerRuntime;
import io.planetexporter.task.socketstat.owner.Workload;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Names containers by their workload from their runtime's state files ({@link RuntimeState}), each
 * container's file read once and its name (or why there is none) kept while the container is seen.
 * A container whose cgroup does not say its runtime (a bare id below {@code kubepods}) is looked
 * for in containerd's state, then CRI-O's, then Docker's. Podman's containers are not named.
 *
 * <p>Not thread-safe: one collection at a time.
 */
public final class WorkloadNames implements UnaryOperator<Workload> {

  private static final Logger logger = Logger.getLogger(WorkloadNames.class.getName());

  /** Why a container has no workload name. */
  public enum Failure {
    /** No state file in any place its runtime writes one (state directory not mounted?). */
    MISSING("missing"),
    /** The file exists but may not be read. */
    UNREADABLE("unreadable"),
    /** The file is not what the runtime writes: not JSON, too large, or without the names. */
    INVALID("invalid");

    private final String label;

    Failure(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final Map<ContainerRuntime, List<RuntimeState>> CANDIDATES =
      Map.of(
          ContainerRuntime.DOCKER, List.of(RuntimeState.DOCKER),
          ContainerRuntime.CONTAINERD, List.of(RuntimeState.CONTAINERD),
          ContainerRuntime.CRIO, List.of(RuntimeState.CRIO),
          ContainerRuntime.KUBERNETES,
              List.of(RuntimeState.CONTAINERD, RuntimeState.CRIO, RuntimeState.DOCKER));

  private final RuntimeRoots roots;
  private final Map<String, Named> byId = new HashMap<>();

  public WorkloadNames(RuntimeRoots roots) {
    this.roots = roots;
  }

  /** The workload with its container's name, read on the first sight of the container. */
  @Override
  public Workload apply(Workload workload) {
    List<RuntimeState> candidates = CANDIDATES.get(workload.runtime());
    if (candidates == null || workload.containerId().isEmpty()) {
      return workload;
    }
    Named named = byId.computeIfAbsent(workload.containerId(), id -> read(candidates, id));
    named.seen = true;
    return named.name.isEmpty() ? workload : workload.named(named.name);
  }

  /**
   * Ends a collection: forgets the containers not seen since the last call (they are gone; an id is
   * never reused).
   *
   * @return how many of the containers seen have no name, by why
   */
  public Map<Failure, Integer> sweep() {
    Map<Failure, Integer> unnamed = new EnumMap<>(Failure.class);
    for (Iterator<Named> it = byId.values().iterator(); it.hasNext(); ) {
      Named named = it.next();
      if (!named.seen) {
        it.remove();
        continue;
      }
      named.seen = false;
      if (named.failure != null) {
        unnamed.merge(named.failure, 1, Integer::sum);
      }
    }
    return unnamed;
  }

  private Named read(List<RuntimeState> candidates, String id) {
    for (RuntimeState state : candidates) {
      Path file = state.file(roots, id);
      try {
        String name = state.name(file);
        if (name.isEmpty()) {
          logger.warning(
              file + ": no workload name in it (" + state + " state of container " + id + ")");
          return new Named("", Failure.INVALID);
        }
        return new Named(name, null);
      } catch (NoSuchFileException e) {
        continue; // another runtime's, perhaps
      } catch (InvalidStateException e) {
        logger.log(Level.WARNING, "cannot name container " + id + " from " + file, e);
        return new Named("", Failure.INVALID);
      } catch (IOException e) {
        logger.log(Level.WARNING, "cannot read " + file + " to name container " + id, e);
        return new Named("", Failure.UNREADABLE);
      }
    }
    // Fine: likely every container, when the state directories are not mounted.
    logger.fine("no state file for container " + id + " under " + roots);
    return new Named("", Failure.MISSING);
  }

  /** A container's name, empty with why when it has none; whether it was seen this collection. */
  private static final class Named {
    final String name;
    final Failure failure;
    boolean seen;

    Named(String name, Failure failure) {
      this.name = name;
      this.failure = failure;
    }
  }
}
