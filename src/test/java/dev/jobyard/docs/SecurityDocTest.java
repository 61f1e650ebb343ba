package dev.jobyard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.jobyard.access.Perm;
import dev.jobyard.access.Permissions;
import dev.jobyard.access.Role;

/**
 * docs/security.md's table of what each role may call is made from the {@code @Permission} declarations of the
 * resolvers: it changes when they do. {@code -Ddocs.write=true} rewrites it.
 */
class SecurityDocTest {

    private static final Path DOC = Path.of("docs/security.md");
    private static final Path CLASSES = Path.of("target/classes");
    private static final String START = "<!-- role table: generated from @Permission by SecurityDocTest -->";
    private static final String END = "<!-- end of role table -->";

    static String table() throws IOException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/jobyard/api"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    types.add(Class.forName(name, false, SecurityDocTest.class.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
            }
        }
        StringBuilder table = new StringBuilder("| Field | Type | Permission | viewer | operator | admin |\n|---|---|---|---|---|---|\n");
        for (Map.Entry<Permissions.Root, Map<String, Permissions.Declared>> root : Permissions.scan(types).entrySet()) {
            for (Map.Entry<String, Permissions.Declared> field : root.getValue().entrySet()) {
                Perm perm = field.getValue().perm();
                table.append("| `").append(field.getKey()).append("` | ").append(root.getKey().name().toLowerCase())
                        .append(" | `").append(perm.label()).append("` |");
                for (Role role : Role.values()) {
                    table.append(role.includes(perm.role()) ? " yes |" : " — |");
                }
                table.append('\n');
            }
        }
        return table.toString();
    }

    @Test
    void theRoleTableMatchesTheDeclarations() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        assertTrue(start >= 0 && end > start, DOC + " must hold the table between " + START + " and " + END);
        String expected = table();
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(DOC, doc.substring(0, start + START.length() + 1) + expected + doc.substring(end));
            return;
        }
        assertEquals(expected, doc.substring(start + START.length() + 1, end), "docs/security.md's role table is out of date; "
                + "regenerate it with ./mvnw test -Dtest=SecurityDocTest -Ddocs.write=true, or paste:\n" + expected);
    }
}
