package dev.rendezvous;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAR's packages depend on each other one way (docs/LAYOUT.md): read from the sources, every
 * {@code import} and fully qualified name of another package of ours is an edge.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/rendezvous");
    private static final Pattern OURS = Pattern.compile("\\bdev\\.rendezvous\\.([a-z]+)\\.[A-Z]");
    private static final String ROOT = "(root)";
    /** Each package and the packages of ours it uses. */
    private static final Map<String, Set<String>> USES = new TreeMap<>();
    /** Each package and every other name it imports. */
    private static final Map<String, Set<String>> IMPORTS = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(PackageDependenciesTest::read);
        }
    }

    private static void read(Path file) {
        Path folder = SOURCES.relativize(file.getParent());
        String own = folder.toString().isEmpty() ? ROOT : folder.toString().replace('/', '.');
        Set<String> uses = USES.computeIfAbsent(own, key -> new TreeSet<>());
        Set<String> imports = IMPORTS.computeIfAbsent(own, key -> new TreeSet<>());
        try {
            for (String line : Files.readAllLines(file)) {
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                    continue; // javadoc links are not dependencies
                }
                if (code.startsWith("import ")) {
                    imports.add(code.substring(code.startsWith("import static ") ? 14 : 7, code.length() - 1));
                }
                Matcher ours = OURS.matcher(code);
                while (ours.find()) {
                    if (!ours.group(1).equals(own)) {
                        uses.add(ours.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        List<List<String>> cycles = new ArrayList<>();
        for (String start : USES.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.push(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.pop();
                for (String next : USES.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    if (next.equals(start)) {
                        cycles.add(longer);
                    } else if (seen.add(next)) {
                        paths.push(longer);
                    }
                }
            }
        }
        assertEquals(List.of(), cycles, "package cycles, as found from each package: " + USES);
    }

    @Test
    void theDependenciesAreTheOnesTheLayoutShows() {
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                ROOT, Set.of("ice", "ops"),
                "auth", Set.of(),
                "cluster", Set.of("room"),
                "ice", Set.of("auth"),
                "ops", Set.of("auth", "room", "signaling"),
                "room", Set.of(),
                "signaling", Set.of("auth", "ice", "room")));
        assertEquals(expected, USES, "update the graph in docs/LAYOUT.md with this test");
    }

    @Test
    void onlyTheClusterPackageImportsHazelcast() {
        IMPORTS.forEach((own, imports) -> assertTrue(own.equals("cluster")
                || imports.stream().noneMatch(name -> name.startsWith("com.hazelcast.")), own + " imports Hazelcast"));
    }

    @Test
    void theRoomRulesKnowNothingOfWebSocketsOrTheWire() {
        assertTrue(IMPORTS.get("room").stream().noneMatch(name -> name.startsWith("jakarta.websocket.")
                || name.startsWith("jakarta.json")), "room imports " + IMPORTS.get("room"));
    }
}
