package docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The documentation holds together: in {@code README.md}, every {@code docs/*.md} and {@code
 * deploy/DEPLOY.md}, every relative link reaches a file that exists and every {@code #anchor} a
 * heading of its target (GitHub's slugs), every repository path named in backticks or in a code
 * block exists, and the README stays a front page. Every failure names the file, the line, the link
 * or path, and why; all of them are reported together.
 */
@Tag("unit")
class DocsLinksTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  private static final int README_MAX_LINES = 250;

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern HEADING =
      Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");

  /** A code span: a run of backticks, closed by a run of the same length (CommonMark). */
  private static final Pattern CODE_SPAN =
      Pattern.compile("(?<!`)(`+)(?!`)(.+?)(?<!`)\\1(?!`)", Pattern.DOTALL);

  /** {@code [text](target)}, {@code ![alt](target)}, with an optional title. */
  private static final Pattern LINK =
      Pattern.compile(
          "!?\\[[^\\]]*\\]\\(\\s*(<[^>]*>|[^\\s)]*)(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");

  /** A reference definition, {@code [label]: target}. */
  private static final Pattern REFERENCE =
      Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");

  private static final Pattern HTML_LINK =
      Pattern.compile("(?i)<(?:a|img)\\b[^>]*?\\b(?:href|src)\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern HTML_ANCHOR =
      Pattern.compile("(?i)<a\\b[^>]*?\\b(?:id|name)\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  /**
   * Words of a code block: what a shell would split, plus the punctuation around paths in prose and
   * comments.
   */
  private static final Pattern CODE_WORD_SEPARATORS = Pattern.compile("[\\s\"'`()\\[\\]=;|&<>,]+");

  private static final Pattern KUBECTL = Pattern.compile("^\\s*(?:\\$\\s+)?kubectl\\s");
  private static final Set<String> KUBECTL_FILE_OPTIONS =
      Set.of("-f", "--filename", "-k", "--kustomize");
  private static final List<String> PATH_PREFIXES = List.of("deploy/", "src/", "docs/", ".ci/");
  private static final Set<String> ROOT_FILES =
      Set.of("pom.xml", "README.md", "BENCHMARKS.md", "LICENSE", "NOTICE");

  /**
   * Placeholders and patterns, not paths: {@code src/*}, {@code <dir>}, {@code {id}}, {@code $DIR},
   * {@code …}.
   */
  private static final Pattern NOT_A_PATH = Pattern.compile("[*<{$ …]");

  private final Map<Path, Set<String>> anchors = new HashMap<>();

  @Test
  void relativeLinksAndAnchorsResolve() {
    List<String> failures = new ArrayList<>();
    int relative = 0;
    for (Document doc : documents()) {
      failures.addAll(doc.problems);
      for (Link link : doc.links()) {
        relative += SCHEME.matcher(link.target).find() ? 0 : 1;
        String why = brokenBecause(doc, link.target);
        if (why != null) {
          failures.add(doc.name + ":" + link.line + ": link (" + link.target + ") " + why);
        }
      }
    }
    if (relative == 0) {
      failures.add("no relative link found in any document: the scan itself is broken");
    }
    assertTrue(
        failures.isEmpty(),
        () -> failures.size() + " broken links:\n" + String.join("\n", failures));
  }

  @Test
  void namedRepositoryPathsExist() {
    List<String> failures = new ArrayList<>();
    GitIgnore ignored = GitIgnore.read(ROOT.resolve(".gitignore"));
    int checked = 0;
    for (Document doc : documents()) {
      for (Named named : doc.namedPaths()) {
        String path = repositoryPath(named.token, named.inCode);
        checked += path == null ? 0 : 1;
        if (path != null && !ignored.ignores(path) && !Files.exists(ROOT.resolve(path))) {
          failures.add(
              doc.name
                  + ":"
                  + named.line
                  + ": `"
                  + named.token
                  + "` names "
                  + path
                  + (named.inCode ? " in a code block" : "")
                  + ", which does not exist in the repository");
        }
      }
    }
    if (checked == 0) {
      failures.add("no repository path found in any document: the scan itself is broken");
    }
    assertTrue(
        failures.isEmpty(),
        () ->
            failures.size()
                + " paths named in the docs do not exist:\n"
                + String.join("\n", failures));
  }

  @Test
  void readmeIsAFrontPageWithAMapOfDocs() {
    List<String> failures = new ArrayList<>();
    Document readme = Document.read(ROOT.resolve("README.md"));
    if (readme.lines.size() >= README_MAX_LINES) {
      failures.add(
          "README.md: "
              + readme.lines.size()
              + " lines; the front page must stay under "
              + README_MAX_LINES
              + " (move the detail to docs/)");
    }
    Set<Path> linked = new LinkedHashSet<>();
    for (Link link : readme.links()) {
      String path = link.target.split("#", 2)[0];
      if (!path.isEmpty() && !SCHEME.matcher(path).find()) {
        linked.add(ROOT.resolve(decode(path)).normalize());
      }
    }
    for (Path doc : docsFolder()) {
      if (!linked.contains(doc)) {
        failures.add(
            "README.md: no link to " + relative(doc) + " (the map of docs/ lists every file)");
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
  }

  /** Null when the target resolves; otherwise why not. */
  private String brokenBecause(Document doc, String target) {
    if (target.isEmpty()) {
      return "has no target";
    }
    if (SCHEME.matcher(target).find() || target.startsWith("//")) {
      return null; // http(s), mailto and other absolute addresses are not checked here
    }
    int hash = target.indexOf('#');
    String path = decode(hash < 0 ? target : target.substring(0, hash));
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved =
        path.isEmpty()
            ? doc.file
            : (path.startsWith("/")
                    ? ROOT.resolve(path.substring(1))
                    : doc.file.getParent().resolve(path))
                .normalize();
    if (!resolved.startsWith(ROOT)) {
      return "points outside the repository";
    }
    if (!Files.exists(resolved)) {
      return "points to " + relative(resolved) + ", which does not exist";
    }
    if (anchor == null || !resolved.toString().endsWith(".md") || !Files.isRegularFile(resolved)) {
      return null; // anchors are checked in Markdown files only (a source file's #L12 is GitHub's)
    }
    if (anchor.isEmpty()) {
      return "has an empty #anchor";
    }
    Set<String> known = anchors.computeIfAbsent(resolved, file -> Document.read(file).anchors());
    return known.contains(anchor)
        ? null
        : "has #" + anchor + ", but no heading of " + relative(resolved) + " has that anchor";
  }

  /**
   * The repository path a backticked token or a code block's word names, or null when it names
   * none.
   */
  private static String repositoryPath(String token, boolean inCode) {
    String path = token.trim();
    if (inCode) {
      path = path.replaceAll("[.:]+$", "");
    }
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    String candidate = path;
    boolean named =
        ROOT_FILES.contains(candidate) || PATH_PREFIXES.stream().anyMatch(candidate::startsWith);
    if (!named || NOT_A_PATH.matcher(candidate).find() || candidate.startsWith("target/")) {
      return null;
    }
    return candidate;
  }

  private static List<Document> documents() {
    List<Document> docs = new ArrayList<>();
    docs.add(Document.read(ROOT.resolve("README.md")));
    docsFolder().forEach(file -> docs.add(Document.read(file)));
    docs.add(Document.read(ROOT.resolve("deploy/DEPLOY.md")));
    return docs;
  }

  private static List<Path> docsFolder() {
    try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
      return files.filter(file -> file.toString().endsWith(".md")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String relative(Path file) {
    return ROOT.relativize(file).toString().replace('\\', '/');
  }

  private static String decode(String path) {
    return path.contains("%")
        ? URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8)
        : path;
  }

  /**
   * GitHub's anchor of a heading: its text without the Markdown around it, lower case, punctuation
   * dropped but for {@code -} and {@code _}, each space a {@code -}.
   */
  static String slug(String heading) {
    String text =
        heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{M}\\p{N} _-]", "")
        .replace(' ', '-');
  }

  record Link(int line, String target) {}

  record Named(int line, String token, boolean inCode) {}

  /**
   * A block of a Markdown file: a paragraph (or heading, table, list) of prose, or the inside of a
   * code fence.
   */
  record Block(int firstLine, String text, boolean code) {}

  /** One Markdown file, cut into prose and code blocks. */
  static final class Document {
    final Path file;
    final String name;
    final List<String> lines;
    final List<Block> blocks = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    private Document(Path file, List<String> lines) {
      this.file = file;
      this.name = relative(file);
      this.lines = lines;
      split();
    }

    static Document read(Path file) {
      try {
        return new Document(file, Files.readAllLines(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    private void split() {
      StringBuilder prose = null;
      int proseStart = 0;
      String fence = null;
      StringBuilder code = null;
      int codeStart = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (fence != null) {
          // the closing fence: the opening's character (` or ~, no regex syntax), at least as many
          // times
          if (line.matches(" {0,3}" + fence.charAt(0) + "{" + fence.length() + ",}\\s*")) {
            blocks.add(new Block(codeStart, code.toString(), true));
            fence = null;
          } else {
            code.append(line).append('\n');
          }
          continue;
        }
        Matcher opening = FENCE.matcher(line);
        if (opening.matches() || line.isBlank()) {
          if (prose != null) {
            blocks.add(new Block(proseStart, prose.toString(), false));
            prose = null;
          }
          if (opening.matches()) {
            fence = opening.group(1);
            code = new StringBuilder();
            codeStart = i + 2;
          }
          continue;
        }
        if (prose == null) {
          prose = new StringBuilder();
          proseStart = i + 1;
        }
        prose.append(line).append('\n');
      }
      if (prose != null) {
        blocks.add(new Block(proseStart, prose.toString(), false));
      }
      if (fence != null) {
        problems.add(name + ":" + (codeStart - 1) + ": a code block opened here is never closed");
        blocks.add(new Block(codeStart, code.toString(), true));
      }
    }

    /**
     * The anchors of this file's headings (with GitHub's -1, -2 for repeats) and of its HTML
     * anchors.
     */
    Set<String> anchors() {
      Set<String> found = new LinkedHashSet<>();
      Map<String, Integer> seen = new HashMap<>();
      for (Block block : blocks) {
        if (block.code) {
          continue;
        }
        for (String line : block.text.split("\n")) {
          Matcher heading = HEADING.matcher(line);
          if (heading.matches()) {
            String slug = slug(heading.group(2) == null ? "" : heading.group(2).trim());
            int repeats = seen.merge(slug, 1, Integer::sum) - 1;
            found.add(repeats == 0 ? slug : slug + "-" + repeats);
          }
        }
        Matcher html = HTML_ANCHOR.matcher(withoutCodeSpans(block.text));
        while (html.find()) {
          found.add(html.group(1));
        }
      }
      return found;
    }

    List<Link> links() {
      List<Link> links = new ArrayList<>();
      for (Block block : blocks) {
        if (block.code) {
          continue;
        }
        String text = withoutCodeSpans(block.text);
        for (Pattern pattern : List.of(LINK, REFERENCE, HTML_LINK)) {
          Matcher link = pattern.matcher(text);
          while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("<") && target.endsWith(">")) {
              target = target.substring(1, target.length() - 1);
            }
            links.add(new Link(lineOf(block, text, link.start()), target));
          }
        }
      }
      links.sort((a, b) -> Integer.compare(a.line, b.line));
      return links;
    }

    /** Backticked tokens of the prose, and the words of the code blocks, with their lines. */
    List<Named> namedPaths() {
      List<Named> named = new ArrayList<>();
      for (Block block : blocks) {
        if (block.code) {
          String[] codeLines = block.text.split("\n", -1);
          for (int i = 0; i < codeLines.length; i++) {
            boolean kubectl = KUBECTL.matcher(codeLines[i]).find();
            String previous = "";
            for (String word : CODE_WORD_SEPARATORS.split(codeLines[i])) {
              // kubectl's TYPE/NAME (deploy/trade-platform-api) is an object of the cluster, not a
              // file,
              // unless it follows -f or -k
              boolean clusterObject = kubectl && !KUBECTL_FILE_OPTIONS.contains(previous);
              if (!word.isEmpty() && !clusterObject) {
                named.add(new Named(block.firstLine + i, word, true));
              }
              previous = word.isEmpty() ? previous : word;
            }
          }
        } else {
          Matcher span = CODE_SPAN.matcher(block.text);
          while (span.find()) {
            named.add(new Named(lineOf(block, block.text, span.start()), span.group(2), false));
          }
        }
      }
      return named;
    }

    /**
     * The text with every code span blanked out (same length, newlines kept), so no link is read
     * inside one.
     */
    private static String withoutCodeSpans(String text) {
      StringBuilder blanked = new StringBuilder(text);
      Matcher span = CODE_SPAN.matcher(text);
      while (span.find()) {
        for (int i = span.start(); i < span.end(); i++) {
          if (blanked.charAt(i) != '\n') {
            blanked.setCharAt(i, ' ');
          }
        }
      }
      return blanked.toString();
    }

    private static int lineOf(Block block, String text, int offset) {
      int line = block.firstLine;
      for (int i = 0; i < offset; i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }
  }

  /**
   * The root {@code .gitignore}'s patterns: what git ignores is made by a build or by hand ({@code
   * target/}, {@code node_modules/}, {@code deploy/bus-tls/}), so the docs may name it though a
   * clone does not hold it.
   */
  record GitIgnore(List<Pattern> anchored, List<Pattern> anyLevel) {
    static GitIgnore read(Path file) {
      List<Pattern> anchored = new ArrayList<>();
      List<Pattern> anyLevel = new ArrayList<>();
      List<String> lines;
      try {
        lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String raw : lines) {
        String line = raw.trim();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
          continue;
        }
        line = line.replaceAll("/+$", "");
        if (line.contains("/")) {
          anchored.add(glob(line.replaceFirst("^/", "")));
        } else {
          anyLevel.add(glob(line));
        }
      }
      return new GitIgnore(anchored, anyLevel);
    }

    /** True when the path, or a folder it lies in, matches a pattern. */
    boolean ignores(String path) {
      String[] parts = path.replaceAll("/+$", "").split("/");
      StringBuilder prefix = new StringBuilder();
      for (String part : parts) {
        prefix.append(prefix.length() == 0 ? "" : "/").append(part);
        String sofar = prefix.toString();
        if (anchored.stream().anyMatch(p -> p.matcher(sofar).matches())
            || anyLevel.stream().anyMatch(p -> p.matcher(part).matches())) {
          return true;
        }
      }
      return false;
    }

    private static Pattern glob(String glob) {
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < glob.length(); i++) {
        char c = glob.charAt(i);
        if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else if (c == '*') {
          regex.append("[^/]*");
        } else if (c == '?') {
          regex.append("[^/]");
        } else {
          regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(regex.toString());
    }
  }
}
