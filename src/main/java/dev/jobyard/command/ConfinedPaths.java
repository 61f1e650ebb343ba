package dev.jobyard.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps paths inside a configured list of directories. A path with a {@code ..} segment is refused
 * outright; the rest is checked on real paths (symlinks resolved), at creation and again right before
 * use, so a symlink inside an allowed directory cannot lead out of it. A regular file with more than one
 * hard link is refused too: its other names may be outside.
 */
public final class ConfinedPaths {

    private final String key;
    private final List<String> directories;

    public ConfinedPaths(String key, List<String> directories) {
        this.key = key;
        this.directories = directories;
    }

    /** The path a payload names, if it may be used; else a BAD_USER_INPUT on {@code payload.<field>}. */
    public Path check(String field, String requested) {
        if (requested == null || requested.isBlank()) {
            throw Payload.bad(field, "is required");
        }
        if (directories.isEmpty()) {
            throw Payload.bad(field, "no directory is allowed yet; an operator lists them in " + key);
        }
        Path path = Path.of(requested);
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw Payload.bad(field, "'" + requested + "' contains '..'; paths must stay inside " + key);
            }
        }
        Path absolute = path.isAbsolute() ? path.normalize() : Path.of(directories.get(0)).toAbsolutePath().resolve(path).normalize();
        Path real = realPath(field, absolute);
        for (Path root : realRoots()) {
            if (real.startsWith(root)) {
                refuseHardLinks(field, requested, real);
                return absolute;
            }
        }
        throw Payload.bad(field, "'" + requested + "' is outside the directories in " + key + " " + directories
                + (real.equals(absolute) ? "" : " (it resolves to " + real + ")"));
    }

    /**
     * A file with more than one name may have its other name outside the directories (a hard link to
     * /etc/shadow planted in an allowed directory): such a file is neither read nor written.
     */
    private void refuseHardLinks(String field, String requested, Path real) {
        try {
            if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
                    && ((Number) Files.getAttribute(real, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() > 1) {
                throw Payload.bad(field, "'" + requested + "' has other hard links, which may lead outside " + key
                        + "; only files with one name are used");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw Payload.bad(field, "'" + requested + "' cannot be checked (" + e.getMessage() + ")");
        }
    }

    /** An existing directory inside the allowed ones. */
    public Path checkDirectory(String field, String requested) {
        Path dir = check(field, requested);
        if (!Files.isDirectory(dir)) {
            throw Payload.bad(field, "'" + requested + "' is not an existing directory");
        }
        return dir;
    }

    /**
     * The real path of {@code absolute}: of the file itself when it exists (following links), else of
     * its nearest existing ancestor with the missing rest appended.
     */
    private static Path realPath(String field, Path absolute) {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            // A dangling symlink: where it points cannot be checked, so it is not used.
            throw Payload.bad(field, "'" + absolute + "' cannot be resolved (" + e.getMessage() + ")");
        }
    }

    private List<Path> realRoots() {
        List<Path> roots = new ArrayList<>();
        for (String dir : directories) {
            Path root = Path.of(dir).toAbsolutePath().normalize();
            try {
                roots.add(root.toRealPath());
            } catch (IOException e) {
                roots.add(root);
            }
        }
        return roots;
    }
}
