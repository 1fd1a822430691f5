package infra.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL binaries of zonky's binaries jar (a .txz resource), unpacked once into a cache
 * directory, in zonky's own layout ({@code PG-<md5 of the archive>}), with the libraries zonky
 * itself unpacks them with.
 */
final class PostgresBinaries {
  private static final String COMPLETE = ".exists"; // zonky's marker of a finished unpack

  private PostgresBinaries() {}

  /**
   * The unpacked installation (bin/, lib/, share/) under {@code cache}, unpacking it when it is not
   * there yet.
   */
  static Path unpack(Path cache) throws IOException {
    byte[] archive = archive();
    Path home = cache.resolve("PG-" + md5(archive));
    if (Files.exists(home.resolve(COMPLETE))) {
      return home;
    }
    Files.createDirectories(cache);
    Path partial =
        Files.createTempDirectory(
            cache, "unpacking-"); // a crash mid-unpack leaves no half home behind
    extract(archive, partial);
    Files.createFile(partial.resolve(COMPLETE));
    DataDirectory.wipe(home);
    Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
    return home;
  }

  private static byte[] archive() throws IOException {
    String arch = System.getProperty("os.arch");
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(
            "Linux", "amd64".equals(arch) ? "x86_64" : arch)) {
      if (in == null) {
        throw new IOException("No PostgreSQL binaries for Linux " + arch + " on the classpath");
      }
      return in.readAllBytes();
    }
  }

  private static void extract(byte[] archive, Path root) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("Archive entry outside its root: " + entry.getName());
        }
        Files.createDirectories(entry.isDirectory() ? target : target.getParent());
        if (entry.isSymbolicLink()) {
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
          Files.createLink(target, root.resolve(entry.getLinkName()));
        } else if (entry.isFile()) {
          Files.copy(tar, target);
          target.toFile().setExecutable((entry.getMode() & 0100) != 0, false);
        }
      }
    }
  }

  private static String md5(byte[] archive) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
