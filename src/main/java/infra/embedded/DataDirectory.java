package infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root directory of one {@link EmbeddedInfrastructure}. It is locked while in use, so two JVMs
 * never share (or wipe) the same servers' data, and a server process found running on it can only
 * be an orphan of a dead run.
 */
final class DataDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  private static final int MAX_ALTERNATIVES = 9;

  private final Path root;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path root, FileChannel channel, FileLock lock) {
    this.root = root;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code root}, or when another running instance holds it (say a second test run in the
   * same checkout), the first free of {@code root-2} .. {@code root-9}.
   */
  static DataDirectory lockFirstFree(Path root) {
    for (int attempt = 1; attempt <= MAX_ALTERNATIVES; attempt++) {
      Path candidate =
          attempt == 1 ? root : root.resolveSibling(root.getFileName() + "-" + attempt);
      DataDirectory locked = tryLock(candidate);
      if (locked != null) {
        if (attempt > 1) {
          LOG.warn(
              "Embedded data directory {} is in use by another running instance; using {}",
              root,
              candidate);
        }
        return locked;
      }
    }
    throw new IllegalStateException(
        "Embedded data directory "
            + root
            + " and its alternatives are in use by other"
            + " running instances; stop them or use another EMBEDDED_DATA_DIR");
  }

  private static DataDirectory tryLock(Path root) {
    try {
      Files.createDirectories(root);
      FileChannel channel =
          FileChannel.open(
              root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        return null;
      }
      return new DataDirectory(root, channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock embedded data directory " + root, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) { // held by this JVM
      return null;
    }
  }

  Path root() {
    return root;
  }

  Path resolve(String name) {
    return root.resolve(name);
  }

  /** Deletes {@code dir} and everything below it, if it exists. */
  static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
