package io.cachekeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No package of the service uses a package that uses it back, directly or through others: the packages can be read
 * (and changed) from the bottom up. A use is any name of another package's class in the code, comments left out.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/cachekeeper");
    private static final Pattern USE = Pattern.compile("\\bio\\.cachekeeper\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noPackageUsesAPackageThatUsesItBack() throws IOException {
        Map<String, Set<String>> uses = uses();
        assertTrue(uses.size() > 10, "the packages were read: " + uses.keySet());
        List<List<String>> cycles = new Tarjan(uses).cycles();
        List<String> described = new ArrayList<>();
        for (List<String> cycle : cycles) {
            StringBuilder edges = new StringBuilder(String.join(", ", cycle) + ":");
            for (String from : cycle) {
                for (String to : uses.getOrDefault(from, Set.of())) {
                    if (cycle.contains(to)) {
                        edges.append(' ').append(from).append(" → ").append(to).append(';');
                    }
                }
            }
            described.add(edges.toString());
        }
        assertEquals(List.of(), described);
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), new Tarjan(uses).cycles());
    }

    /** Package (relative to io.cachekeeper) → the packages its code names. */
    private static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                String code = COMMENT.matcher(Files.readString(file)).replaceAll(" ");
                Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = USE.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }

    /** Strongly connected components of more than one package (Tarjan), each sorted, in the order of their first package. */
    private static final class Tarjan {

        private final Map<String, Set<String>> edges;
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> low = new TreeMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<List<String>> found = new ArrayList<>();

        Tarjan(Map<String, Set<String>> edges) {
            this.edges = edges;
        }

        List<List<String>> cycles() {
            for (String node : new TreeSet<>(edges.keySet())) {
                if (!index.containsKey(node)) {
                    visit(node);
                }
            }
            found.sort((a, b) -> a.get(0).compareTo(b.get(0)));
            return found;
        }

        private void visit(String node) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.add(node);
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (stack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                List<String> component = new ArrayList<>();
                String member;
                do {
                    member = stack.remove(stack.size() - 1);
                    component.add(member);
                } while (!member.equals(node));
                if (component.size() > 1) {
                    component.sort(String::compareTo);
                    found.add(component);
                }
            }
        }
    }
}
