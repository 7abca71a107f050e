package io.bpf4j.internal.rules;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.StatsType;
import java.nio.charset.StandardCharsets;

/**
 * The input rules of the object commands (pins, ids, BTF, statistics, tokens) and of the plain
 * descriptor calls, and the rule for object names.
 *
 * <p>A pin path is refused here only for what no platform can take (empty, a NUL byte, longer
 * than {@code PATH_MAX}). What a file system says about a valid string is its own answer: Linux's
 * bpffs refuses a name with a dot with EPERM ({@code bpf_lookup()} in
 * {@code kernel/bpf/inode.c}), and the simulator answers the same.
 */
public final class ObjRules {
    /** {@code PATH_MAX}: a path and its NUL must fit. */
    public static final int PATH_MAX = 4096;
    /** The longest object name the kernel keeps ({@code BPF_OBJ_NAME_LEN} - 1). */
    public static final int MAX_NAME_LENGTH = io.bpf4j.api.MapSpec.MAX_NAME_LENGTH;

    private ObjRules() {
    }

    /**
     * An interface name: not empty, no NUL, at most 255 bytes of UTF-8 (Linux's own limit is 15,
     * {@code IFNAMSIZ} - 1; Windows' aliases are longer, so the backend checks its own).
     *
     * @param name the name
     * @throws IllegalArgumentException naming {@code name}
     */
    public static void interfaceName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name: empty interface name");
        if (name.indexOf(0) >= 0) throw new IllegalArgumentException("name: interface name '" + name + "' has a NUL");
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("name: interface name of more than 255 bytes");
        }
    }

    /**
     * A descriptor argument.
     *
     * @param fd the descriptor
     * @param param the parameter's name
     * @throws IllegalArgumentException when negative
     */
    public static void fd(int fd, String param) {
        if (fd < 0) throw new IllegalArgumentException(param + ": negative descriptor (" + fd + ")");
    }

    /**
     * An object name, as {@code bpf_obj_name_cpy()} takes it: at most 15 characters (the 16th
     * byte is the NUL), each of {@code [A-Za-z0-9_.]}.
     *
     * @param name the name, not null
     * @param param the parameter's name
     * @throws IllegalArgumentException naming the parameter
     */
    public static void name(String name, String param) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(param + ": \"" + name + "\" is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            if (!ok) throw new IllegalArgumentException(param + ": \"" + name + "\" has '" + c + "'; only [A-Za-z0-9_.] is allowed");
        }
    }

    /**
     * A path handed to the kernel as a C string: not empty, no NUL byte (the kernel would read
     * a shorter path than the caller meant), shorter than {@link #PATH_MAX} bytes in UTF-8.
     *
     * @param path the path
     * @param param the parameter's name
     * @throws IllegalArgumentException naming the parameter
     */
    public static void path(String path, String param) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException(param + ": empty");
        if (path.indexOf('\0') >= 0) throw new IllegalArgumentException(param + ": contains NUL");
        if (path.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) throw new IllegalArgumentException(param + ": longer than PATH_MAX");
    }

    /**
     * {@code BPF_OBJ_PIN}.
     *
     * @param fd the object
     * @param path the pin path
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void pin(int fd, String path) {
        fd(fd, "fd");
        path(path, "path");
    }

    /**
     * {@code BPF_OBJ_GET}: {@code file_flags} 0, {@code BPF_F_RDONLY} or {@code BPF_F_WRONLY}.
     *
     * @param path the pin path
     * @param fileFlags the flags
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void get(String path, int fileFlags) {
        if ((fileFlags & ~(MapFlags.RDONLY | MapFlags.WRONLY)) != 0 || fileFlags == (MapFlags.RDONLY | MapFlags.WRONLY)) {
            throw new IllegalArgumentException("fileFlags: only MapFlags.RDONLY or MapFlags.WRONLY, was 0x"
                    + Integer.toHexString(fileFlags));
        }
        path(path, "path");
    }

    /**
     * Removing a pin.
     *
     * @param path the pin path
     * @throws IllegalArgumentException naming the path
     */
    public static void unpin(String path) {
        path(path, "path");
    }

    /**
     * The start of a {@code *_GET_NEXT_ID} walk.
     *
     * @param startId 0 to start, else the previous id
     * @throws IllegalArgumentException when negative
     */
    public static void startId(int startId) {
        if (startId < 0) throw new IllegalArgumentException("startId: negative (" + startId + ")");
    }

    /**
     * The id of a {@code *_GET_FD_BY_ID}: ids start at 1.
     *
     * @param id the id
     * @throws IllegalArgumentException when not positive
     */
    public static void id(int id) {
        if (id <= 0) throw new IllegalArgumentException("id: must be positive, was " + id);
    }

    /**
     * {@code BPF_BTF_LOAD}.
     *
     * @param btf the raw blob
     * @param logLevel 0 to 7
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void btfLoad(byte[] btf, int logLevel) {
        if (btf == null || btf.length == 0) throw new IllegalArgumentException("btf: empty");
        if (logLevel < 0 || logLevel > 7) throw new IllegalArgumentException("logLevel: " + logLevel + " not in 0..7");
    }

    /**
     * {@code read(2)} into part of a buffer.
     *
     * @param fd the descriptor
     * @param buf the buffer
     * @param off where in it
     * @param len at most this many bytes
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void read(int fd, byte[] buf, int off, int len) {
        fd(fd, "fd");
        if (buf == null) throw new IllegalArgumentException("buf: null");
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("off/len: " + off + "/" + len + " outside a buffer of " + buf.length);
        }
    }

    /**
     * {@code BPF_TASK_FD_QUERY}.
     *
     * @param pid the process
     * @param fd its descriptor
     * @param flags 0
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void taskFdQuery(int pid, int fd, int flags) {
        if (pid < 0) throw new IllegalArgumentException("pid: negative");
        fd(fd, "fd");
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0");
    }

    /**
     * {@code BPF_ENABLE_STATS}.
     *
     * @param type what to enable
     * @throws IllegalArgumentException when null
     */
    public static void enableStats(StatsType type) {
        if (type == null) throw new IllegalArgumentException("type: null");
    }

    /**
     * {@code BPF_TOKEN_CREATE}.
     *
     * @param bpffsFd the bpffs root
     * @param flags 0
     * @throws IllegalArgumentException naming the bad argument
     */
    public static void tokenCreate(int bpffsFd, int flags) {
        fd(bpffsFd, "bpffsFd");
        if (flags != 0) throw new IllegalArgumentException("flags: must be 0");
    }
}
