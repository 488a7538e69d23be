package io.planetexporter.task.socketstat;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads another namespace's table with a namespace-agnostic {@link SocketSource} (netlink, which
 * reads the namespace of the calling thread) on a dedicated thread that enters the namespace with
 * {@code setns(2)} through {@code /proc/<pid>/ns/net} and goes back to the exporter's own
 * afterwards (a thread left in a namespace would keep it alive after it is deleted).
 *
 * <p>{@code setns} needs {@code CAP_SYS_ADMIN}; without it (e.g. the shipped systemd unit, which
 * grants only {@code CAP_SYS_PTRACE} and {@code CAP_DAC_READ_SEARCH}) every namespace is read
 * through the fallback instead, as one log line says.
 *
 * <p>One caller at a time (the task's run).
 */
final class EnteredNamespaceSource implements NamespaceSource {

  private static final Logger logger = Logger.getLogger(EnteredNamespaceSource.class.getName());

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int EPERM = 1;
  private static final int ENOENT = 2;

  private static final Throwable UNAVAILABLE = register();
  private static final String OWN_NAMESPACE = "/proc/thread-self/ns/net";

  private final Path procRoot;
  private final SocketSource source;
  private final NamespaceSource fallback;
  private ExecutorService thread;
  private volatile int ownNamespace = -1;
  private boolean denied;

  EnteredNamespaceSource(Path procRoot, SocketSource source, NamespaceSource fallback) {
    this.procRoot = procRoot;
    this.source = source;
    this.fallback = fallback;
  }

  private static Throwable register() {
    try {
      if (!Platform.isLinux()) {
        return new UnsupportedOperationException("setns needs Linux");
      }
      Native.register(EnteredNamespaceSource.class, Platform.C_LIBRARY_NAME);
      return null;
    } catch (LinkageError e) {
      return e;
    }
  }

  @Override
  public SocketTable read(int pid) throws IOException {
    if (denied || UNAVAILABLE != null) {
      return fallback.read(pid);
    }
    if (thread == null) {
      thread =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread t = new Thread(runnable, "socketstat-netns");
                t.setDaemon(true);
                return t;
              });
    }
    try {
      return thread.submit(() -> readInside(pid)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading namespace of process " + pid);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PermissionDenied) {
        denied = true;
        logger.log(
            Level.INFO,
            "socketstat reads other network namespaces through /proc/<pid>/net: entering one"
                + " needs CAP_SYS_ADMIN",
            e.getCause());
        return fallback.read(pid);
      }
      if (e.getCause() instanceof StuckOutside stuck) {
        thread.shutdown(); // its thread is in a foreign namespace: let it end, start another
        thread = null;
        throw new IOException(stuck.getMessage(), stuck);
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** On the dedicated thread: enter, read, go back. */
  private SocketTable readInside(int pid) throws IOException {
    if (ownNamespace < 0) {
      ownNamespace = open(OWN_NAMESPACE);
    }
    Path target = procRoot.resolve(pid + "/ns/net");
    int fd = open(target.toString());
    try {
      enter(fd, target);
      try {
        return source.read();
      } finally {
        try {
          enter(ownNamespace, Path.of(OWN_NAMESPACE));
        } catch (IOException e) {
          throw new StuckOutside("cannot return from namespace of process " + pid, e);
        }
      }
    } finally {
      close(fd);
    }
  }

  private static int open(String path) throws IOException {
    try {
      return open(path, O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOENT) {
        throw new NoSuchFileException(path);
      }
      throw new IOException("open " + path + ": errno " + e.getErrorCode(), e);
    }
  }

  private static void enter(int fd, Path namespace) throws IOException {
    try {
      setns(fd, CLONE_NEWNET);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EPERM) {
        throw new PermissionDenied("setns " + namespace + ": not permitted", e);
      }
      throw new IOException("setns " + namespace + ": errno " + e.getErrorCode(), e);
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
    if (ownNamespace >= 0) {
      close(ownNamespace);
    }
  }

  private static native int open(String path, int flags) throws LastErrorException;

  private static native int setns(int fd, int nstype) throws LastErrorException;

  private static native int close(int fd);

  /** {@code setns} refused for want of the capability. */
  private static final class PermissionDenied extends IOException {
    private static final long serialVersionUID = 1L;

    PermissionDenied(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The thread could not go back to the exporter's namespace. */
  private static final class StuckOutside extends IOException {
    private static final long serialVersionUID = 1L;

    StuckOutside(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
