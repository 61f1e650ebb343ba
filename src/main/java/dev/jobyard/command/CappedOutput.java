package dev.jobyard.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import io.vertx.core.json.JsonObject;

/**
 * Keeps the first {@code cap} bytes written to it and counts the rest, so a program that prints
 * gigabytes costs {@code cap} bytes of memory and is never blocked on a full pipe.
 */
public final class CappedOutput extends OutputStream {

    private final byte[] kept;
    private int size;
    private long total;

    public CappedOutput(int cap) {
        this.kept = new byte[Math.max(0, cap)];
    }

    @Override
    public synchronized void write(int b) {
        if (size < kept.length) {
            kept[size++] = (byte) b;
        }
        total++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.min(len, kept.length - size);
        if (room > 0) {
            System.arraycopy(b, off, kept, size, room);
            size += room;
        }
        total += len;
    }

    /** Copies {@code in} to the end, keeping the first bytes; returns when {@code in} ends. */
    public CappedOutput drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0;) {
            write(buffer, 0, n);
        }
        return this;
    }

    public synchronized String text() {
        return new String(Arrays.copyOf(kept, size), StandardCharsets.UTF_8);
    }

    public synchronized long totalBytes() {
        return total;
    }

    public synchronized boolean truncated() {
        return total > size;
    }

    /**
     * {@code {<name>: text, <name>Bytes: total, <name>Truncated: true}} (the last only when cut), the text
     * passed through {@code mask} (secrets).
     */
    public JsonObject putInto(JsonObject result, String name, UnaryOperator<String> mask) {
        result.put(name, mask.apply(text())).put(name + "Bytes", totalBytes());
        if (truncated()) {
            result.put(name + "Truncated", true);
        }
        return result;
    }
}
