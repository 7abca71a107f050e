package io.bpf4j.api.symbols;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Finds a shared library by name: in a process' mappings, then where the dynamic linker looks. */
final class Libraries {
    private Libraries() {
    }

    static Path resolve(String name, String process) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name: empty");
        if (name.indexOf('/') >= 0) return Path.of(name);
        TreeSet<String> mapped = new TreeSet<>();
        Path maps = Path.of("/proc", process, "maps");
        if (Files.isReadable(maps)) {
            try (Stream<String> lines = Files.lines(maps)) {
                lines.forEach(l -> {
                    String p = mappedPath(l);
                    if (p != null && matches(name, Path.of(p).getFileName().toString())) mapped.add(p);
                });
            } catch (IOException | java.io.UncheckedIOException e) {
                // The process may have exited; the search path is still there.
            }
        }
        if (mapped.size() == 1) return Path.of(mapped.first());
        if (mapped.size() > 1) {
            throw new IllegalArgumentException("name: " + name + " is ambiguous: process " + process + " maps " + mapped);
        }
        List<Path> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) if (!d.isEmpty()) dirs.add(Path.of(d));
        }
        String triplet = triplet();
        for (String d : new String[] {"/lib64", "/usr/lib64", "/lib", "/usr/lib"}) {
            if (triplet != null) dirs.add(Path.of(d, triplet));
            dirs.add(Path.of(d));
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) continue;
            Path exact = d.resolve(name);
            if (elf(exact)) return exact;
            TreeSet<String> found = new TreeSet<>();
            try (Stream<Path> files = Files.list(d)) {
                files.filter(f -> matches(name, f.getFileName().toString()) && elf(f)).forEach(f -> found.add(f.toString()));
            } catch (IOException e) {
                continue;
            }
            if (found.size() == 1) return Path.of(found.first());
            if (found.size() > 1) throw new IllegalArgumentException("name: " + name + " is ambiguous in " + d + ": " + found);
        }
        throw new IllegalArgumentException("name: no library " + name + " is mapped by process " + process
                + " or found in LD_LIBRARY_PATH, /lib64, /usr/lib64, /lib or /usr/lib" + (triplet == null ? "" : " (and their "
                + triplet + ")"));
    }

    /** The file of a {@code /proc/PID/maps} line, or null for an anonymous or deleted mapping. */
    static String mappedPath(String line) {
        int slash = line.indexOf(" /");
        if (slash < 0) return null;
        String p = line.substring(slash + 1);
        return p.endsWith(" (deleted)") ? null : p;
    }

    /** {@code libc} and {@code libc.so} find {@code libc.so.6}; a full name finds itself. */
    static boolean matches(String name, String file) {
        if (file.equals(name)) return true;
        if (name.contains(".so")) return file.startsWith(name + ".");
        return file.startsWith(name + ".so");
    }

    private static boolean elf(Path f) {
        if (!Files.isRegularFile(f)) return false;
        try (InputStream in = Files.newInputStream(f)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /** The Debian multiarch directory of this JVM's architecture. */
    private static String triplet() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            case "arm" -> "arm-linux-gnueabihf";
            case "riscv64" -> "riscv64-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "x86", "i386" -> "i386-linux-gnu";
            default -> null;
        };
    }
}
