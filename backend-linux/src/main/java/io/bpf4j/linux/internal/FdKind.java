package io.bpf4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What kind of BPF object a descriptor of this process refers to, from the
 * {@code /proc/self/fd} link the kernel gives its anonymous inodes ({@code anon_inode:bpf-map},
 * {@code bpf-prog}, {@code bpf_link}, {@code btf}). {@code BPF_OBJ_GET_INFO_BY_FD} answers for
 * any kind, so without this check a program's info could be decoded as a map's.
 */
final class FdKind {
    static final String MAP = "bpf-map";
    static final String PROG = "bpf-prog";
    static final String LINK = "bpf_link";
    static final String BTF = "btf";

    private FdKind() {
    }

    /**
     * The kind, or null when it cannot be told (no procfs, a fake chokepoint, not a BPF object
     * or not open: the kernel then reports the error itself).
     */
    static String of(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            if (!target.startsWith("anon_inode:")) return "file";
            String k = target.substring("anon_inode:".length());
            k = k.startsWith("[") && k.endsWith("]") ? k.substring(1, k.length() - 1) : k;
            // A link made by BPF_LINK_CREATE is "bpf_link" (bpf_link_prime), one opened from a
            // pin or by id is "bpf-link" (bpf_link_new_fd): the same kind.
            return k.equals("bpf-link") ? LINK : k;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Throws when the descriptor is known to be of another kind. */
    static void require(int fd, String kind, String param) {
        String actual = of(fd);
        if (actual != null && !actual.equals(kind)) {
            throw new IllegalArgumentException(param + ": descriptor " + fd + " is " + describe(actual) + ", not " + describe(kind));
        }
    }

    private static String describe(String kind) {
        switch (kind) {
            case MAP:
                return "a map";
            case PROG:
                return "a program";
            case LINK:
                return "a link";
            case BTF:
                return "a BTF object";
            case "file":
                return "not a BPF object";
            default:
                return "a " + kind;
        }
    }
}
