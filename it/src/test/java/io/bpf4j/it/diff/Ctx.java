package io.bpf4j.it.diff;

import io.bpf4j.api.Bpf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One backend's side of a scenario run: the backend, the descriptors behind the scenario's
 * symbols ("map#1", "prog#2"), the pins it made, and the host names it was given (pin
 * directory, cgroup path, interface index) which are equal on both sides wherever the
 * scenario's results depend on them.
 */
final class Ctx implements AutoCloseable {
    final Bpf bpf;
    final String pinDir;
    final String cgroupPath;
    final int ifindex;
    private final Map<String, Integer> objects = new LinkedHashMap<>();
    private final List<String> pins = new ArrayList<>();
    /** Values a step keeps for later steps of the same side (batch cursors): opaque to the comparison. */
    final Map<String, byte[]> kept = new java.util.HashMap<>();

    Ctx(Bpf bpf, String pinDir, String cgroupPath, int ifindex) {
        this.bpf = bpf;
        this.pinDir = pinDir;
        this.cgroupPath = cgroupPath;
        this.ifindex = ifindex;
    }

    /** Thrown when a step names an object whose creation failed on this side. */
    static final class NoSuchObject extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchObject(String sym) {
            super(sym);
        }
    }

    int fd(String sym) {
        Integer fd = objects.get(sym);
        if (fd == null) throw new NoSuchObject(sym);
        return fd;
    }

    boolean has(String sym) {
        return objects.containsKey(sym);
    }

    /** Binds {@code sym} to a descriptor this context now owns (closing what it named before). */
    int def(String sym, int fd) {
        Integer old = objects.put(sym, fd);
        if (old != null) bpf.closeFd(old);
        return fd;
    }

    void close(String sym) {
        Integer fd = objects.remove(sym);
        if (fd != null) bpf.closeFd(fd);
    }

    /** The path of pin {@code name} in the scenario's directory; remembered for removal. */
    String pin(String name) {
        String path = pinDir + "/" + name;
        if (!pins.contains(path)) pins.add(path);
        return path;
    }

    /** The symbol of the object with this map id, or "map id ?" when none of ours has it. */
    String mapSymOfId(int id) {
        for (Map.Entry<String, Integer> e : objects.entrySet()) {
            if (!e.getKey().startsWith("map") && !e.getKey().startsWith("inner")) continue;
            if (bpf.mapGetInfo(e.getValue()).id() == id) return e.getKey();
        }
        return "map id ?";
    }

    String progSymOfId(int id) {
        for (Map.Entry<String, Integer> e : objects.entrySet()) {
            if (!e.getKey().startsWith("prog")) continue;
            if (bpf.progGetInfo(e.getValue()).id() == id) return e.getKey();
        }
        return "prog id ?";
    }

    String linkSymOfId(int id) {
        for (Map.Entry<String, Integer> e : objects.entrySet()) {
            if (!e.getKey().startsWith("link")) continue;
            if (bpf.linkGetInfo(e.getValue()).id() == id) return e.getKey();
        }
        return "link id ?";
    }

    /** Closes every descriptor and removes every pin, newest first, even after failures. */
    @Override
    public void close() {
        RuntimeException first = null;
        List<String> syms = new ArrayList<>(objects.keySet());
        for (int i = syms.size() - 1; i >= 0; i--) {
            try {
                close(syms.get(i));
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        for (String p : pins) {
            try {
                bpf.objUnpin(p);
            } catch (io.bpf4j.api.BpfException e) {
                // A pin the scenario removed itself is gone (ENOENT); anything else is a failure.
                if (e.errno() != io.bpf4j.api.Errno.ENOENT && first == null) first = e;
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
