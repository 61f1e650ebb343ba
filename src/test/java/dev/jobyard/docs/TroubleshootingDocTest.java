package dev.jobyard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md covers every warning and error the service logs: the fixed start of each
 * {@code LOG.warn…}/{@code LOG.error…} message in src/main appears in it (so a new warning needs its entry).
 */
class TroubleshootingDocTest {

    private static final Path DOC = Path.of("docs/troubleshooting.md");
    // LOG.warnf("text ...", or LOG.error(e, "text", ...): the first string literal of the call
    private static final Pattern CALL = Pattern.compile("LOG\\.(?:warn|error)f?\\((?:[a-z]+, )?\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The text of each warning and error up to its first placeholder, e.g. "Claiming from queue". */
    static List<String> messages() throws IOException {
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CALL.matcher(Files.readString(file));
                while (m.find()) {
                    String text = m.group(1);
                    int placeholder = text.indexOf('%');
                    String fixed = (placeholder < 0 ? text : text.substring(0, placeholder)).replaceAll("[\\s(:;]+$", "");
                    messages.add(fixed);
                }
            }
        }
        return messages;
    }

    @Test
    void everyWarningAndErrorTheServiceLogsHasAnEntry() throws IOException {
        // Given the warnings and errors in the code
        List<String> messages = messages();
        assertTrue(messages.size() >= 15, "found the log calls: " + messages);

        // Then each one's text is in the troubleshooting page
        String doc = Files.readString(DOC);
        List<String> missing = messages.stream().filter(m -> !doc.contains(m)).toList();
        assertEquals(List.of(), missing, "add an entry (message, cause, fix) to " + DOC + " for these log lines");
    }
}
