package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A virtual bpffs mounted at one path. Pins are files that hold a user reference to their object,
 * as on Linux; directories can be made and removed. Everything outside the mount is another
 * file system, where the kernel refuses to pin ({@code EPERM}: the parent is not a bpffs
 * directory) and where nothing pinned can be found ({@code ENOENT}). A name with a dot cannot be
 * looked up in a bpffs directory at all ({@code EPERM}): Linux reserves dotted names there for
 * its own files ({@code bpf_lookup()} in {@code kernel/bpf/inode.c}).
 */
public final class Bpffs {
    private final String mount;
    /** Path to pinned object, or to null for a directory. */
    private final TreeMap<String, KObject> nodes = new TreeMap<>();

    /**
     * Creates an empty bpffs.
     *
     * @param mount the absolute mount point, e.g. {@code /sys/fs/bpf}
     */
    public Bpffs(String mount) {
        this.mount = normalize(mount);
        if (this.mount == null || this.mount.equals("/")) throw new IllegalArgumentException("bpffs mount: " + mount);
        nodes.put(this.mount, null);
    }

    /**
     * The mount point.
     *
     * @return the normalised mount point
     */
    public String mount() {
        return mount;
    }

    /**
     * Collapses repeated and trailing slashes, "." and ".." components.
     *
     * @param path a path
     * @return the normalised path, or null for relative or empty paths
     */
    public static String normalize(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') return null;
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(p);
        }
        return "/" + String.join("/", parts);
    }

    /**
     * Whether a normalised path is on this bpffs.
     *
     * @param p the path
     * @return true for the mount point and below
     */
    public boolean inside(String p) {
        return p.equals(mount) || p.startsWith(mount + "/");
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    /** {@code NAME_MAX}: the longest name {@code simple_lookup()} looks up. */
    private static final int NAME_MAX = 255;

    /**
     * A path walked up to its last component: the directory reached, the last name ({@code null}
     * for none, as in "/"), and whether a slash followed it.
     */
    private record Walk(String dir, String last, boolean slash) {
        String here() {
            return dir.equals("/") ? "/" + last : dir + "/" + last;
        }
    }

    private boolean isDir(String p) {
        return p.equals(mount) || (nodes.containsKey(p) && nodes.get(p) == null);
    }

    /**
     * {@code bpf_lookup()} of a name the directory does not hold: a dotted name is EPERM, a name
     * longer than {@code NAME_MAX} ENAMETOOLONG ({@code simple_lookup()}); otherwise the dentry is
     * negative and the caller decides.
     */
    private static void lookupMissing(String name) {
        if (name.indexOf('.') >= 0) throw KErr.of(Errno.EPERM, "\"" + name + "\": bpffs refuses names with a dot");
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw KErr.of(Errno.ENAMETOOLONG, "a name longer than " + NAME_MAX + " bytes");
        }
    }

    /**
     * Walks every component but the last as the kernel's path walk does: "." stays, ".." goes up,
     * a name missing from a bpffs directory is ENOENT (after {@code bpf_lookup()}'s own refusals),
     * a pin walked through is ENOTDIR. Names outside the bpffs are taken as they are.
     */
    private Walk walkParent(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') throw KErr.of(Errno.ENOENT, "path must be absolute: " + path);
        List<String> names = new ArrayList<>();
        for (String c : path.split("/")) if (!c.isEmpty()) names.add(c);
        boolean slash = path.endsWith("/") && !names.isEmpty();
        List<String> at = new ArrayList<>();
        for (int i = 0; i < names.size() - 1; i++) {
            String c = names.get(i);
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!at.isEmpty()) at.remove(at.size() - 1);
                continue;
            }
            String cur = "/" + String.join("/", at);
            at.add(c);
            String here = "/" + String.join("/", at);
            if (inside(cur)) {
                if (!nodes.containsKey(here)) {
                    lookupMissing(c);
                    throw KErr.of(Errno.ENOENT, "no directory " + here);
                }
                if (!isDir(here)) throw KErr.of(Errno.ENOTDIR, here + " is a pinned object");
            }
        }
        return new Walk("/" + String.join("/", at), names.isEmpty() ? null : names.get(names.size() - 1), slash);
    }

    /** Checks a new entry as {@code filename_create()} and {@code bpf_obj_do_pin()} do. */
    private String checkCreate(String path, boolean dir) {
        Walk w = walkParent(path);
        // No last component, or "." / "..": "yucky last component".
        if (w.last() == null || w.last().equals(".") || w.last().equals("..")) throw KErr.of(Errno.EEXIST, path);
        String p = w.here();
        if (inside(w.dir())) {
            if (!nodes.containsKey(p)) lookupMissing(w.last());
            if (nodes.containsKey(p)) throw KErr.of(Errno.EEXIST, path);
            // "You had / on the end, you've been asking for (non-existent) directory."
            if (w.slash() && !dir) throw KErr.of(Errno.ENOENT, path + " names a directory");
            return p;
        }
        // Creating in another file system: the kernel sees a parent that is not a bpffs directory.
        if (p.equals(mount) || nodes.containsKey(p)) throw KErr.of(Errno.EEXIST, path);
        throw KErr.of(Errno.EPERM, path + " is not on the bpffs mounted at " + mount);
    }

    /** Resolves a whole path to an existing node, as {@code kern_path()} does. */
    private String resolve(String path) {
        Walk w = walkParent(path);
        String p;
        if (w.last() == null || w.last().equals(".")) {
            p = w.dir();
        } else if (w.last().equals("..")) {
            int i = w.dir().lastIndexOf('/');
            p = i <= 0 ? "/" : w.dir().substring(0, i);
        } else {
            p = w.here();
            if (inside(w.dir()) && !nodes.containsKey(p)) {
                lookupMissing(w.last());
                throw KErr.of(Errno.ENOENT, path);
            }
        }
        if (!nodes.containsKey(p)) throw KErr.of(Errno.ENOENT, path);
        if (w.slash() && !isDir(p)) throw KErr.of(Errno.ENOTDIR, path + ": a pin is not a directory");
        return p;
    }

    /**
     * Pins an object ({@code BPF_OBJ_PIN}), taking a user reference.
     *
     * @param path the path
     * @param obj the object
     */
    public void pin(String path, KObject obj) {
        String p = checkCreate(path, false);
        obj.holdUser();
        nodes.put(p, obj);
    }

    /**
     * Finds a pinned object ({@code BPF_OBJ_GET}).
     *
     * @param path the path
     * @return the object
     */
    public KObject get(String path) {
        String p = resolve(path);
        KObject o = nodes.get(p);
        // bpf_inode_type() refuses anything that is not a pinned map, program or link.
        if (o == null) throw KErr.of(Errno.EACCES, path + " is a directory");
        return o;
    }

    /**
     * Makes a directory, like {@code mkdir(2)} on bpffs.
     *
     * @param path the path
     */
    public void mkdir(String path) {
        String p = checkCreate(path, true);
        nodes.put(p, null);
    }

    /**
     * Removes a pin, dropping its reference, as {@code unlink(2)} does: a directory is
     * {@code EISDIR} (the backends remove pins, not directories).
     *
     * @param path the path
     */
    public void unlink(String path) {
        String p = resolve(path);
        if (nodes.get(p) == null) throw KErr.of(Errno.EISDIR, path + " is a directory");
        KObject o = nodes.remove(p);
        o.putUser();
    }

    /**
     * Removes an empty directory, like {@code rmdir(2)}.
     *
     * @param path the path
     */
    public void rmdir(String path) {
        String p = resolve(path);
        if (nodes.get(p) != null) throw KErr.of(Errno.ENOTDIR, path + " is a pin");
        if (p.equals(mount)) throw KErr.of(Errno.EBUSY, "the mount point");
        Map.Entry<String, KObject> child = nodes.higherEntry(p);
        if (child != null && child.getKey().startsWith(p + "/")) throw KErr.of(Errno.ENOTEMPTY, path);
        nodes.remove(p);
    }

    /**
     * Whether a path exists.
     *
     * @param path the path
     * @return true for a pin or directory
     */
    public boolean exists(String path) {
        String p = normalize(path);
        return p != null && nodes.containsKey(p);
    }
}
