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

    /**
     * Walks a path as the kernel's path lookup does, component by component: a dotted name looked
     * up in a bpffs directory is EPERM; the walk stops quietly at the first missing directory on
     * the way, where the caller's own checks answer ENOENT before any later name is looked up.
     * "." and ".." never reach {@code bpf_lookup()}.
     */
    private void walk(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') return;
        List<String> names = new ArrayList<>();
        for (String c : path.split("/")) if (!c.isEmpty()) names.add(c);
        List<String> at = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String c = names.get(i);
            if (c.equals(".")) continue;
            if (c.equals("..")) {
                if (!at.isEmpty()) at.remove(at.size() - 1);
                continue;
            }
            if (inside("/" + String.join("/", at)) && c.indexOf('.') >= 0) {
                throw KErr.of(Errno.EPERM, "\"" + c + "\": bpffs refuses names with a dot");
            }
            at.add(c);
            String here = "/" + String.join("/", at);
            boolean dir = here.equals(mount) || (nodes.containsKey(here) && nodes.get(here) == null);
            if (i < names.size() - 1 && inside(here) && !dir) return;
        }
    }

    /** Checks that the parent of a new entry is an existing bpffs directory. */
    private String checkCreate(String path, boolean pin) {
        walk(path);
        String p = normalize(path);
        if (p == null) throw KErr.of(Errno.ENOENT, "path must be absolute: " + path);
        if (!inside(p) || p.equals(mount)) {
            // Creating in another file system: the kernel sees a parent that is not a bpffs directory.
            if (p.equals(mount) || nodes.containsKey(p)) throw KErr.of(Errno.EEXIST, path);
            throw KErr.of(Errno.EPERM, path + " is not on the bpffs mounted at " + mount);
        }
        String parent = parent(p);
        if (!nodes.containsKey(parent)) throw KErr.of(Errno.ENOENT, "no directory " + parent);
        if (nodes.get(parent) != null) throw KErr.of(Errno.ENOTDIR, parent + " is a pinned object");
        if (nodes.containsKey(p)) throw KErr.of(Errno.EEXIST, path);
        return p;
    }

    /**
     * Pins an object ({@code BPF_OBJ_PIN}), taking a user reference.
     *
     * @param path the path
     * @param obj the object
     */
    public void pin(String path, KObject obj) {
        String p = checkCreate(path, true);
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
        walk(path);
        String p = normalize(path);
        if (p == null || !nodes.containsKey(p)) throw KErr.of(Errno.ENOENT, path);
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
        String p = checkCreate(path, false);
        nodes.put(p, null);
    }

    /**
     * Removes a pin (dropping its reference) or an empty directory, like {@code unlink(2)} /
     * {@code rmdir(2)}.
     *
     * @param path the path
     */
    public void unlink(String path) {
        walk(path);
        String p = normalize(path);
        if (p == null || !nodes.containsKey(p)) throw KErr.of(Errno.ENOENT, path);
        if (p.equals(mount)) throw KErr.of(Errno.EBUSY, "the mount point");
        KObject o = nodes.get(p);
        if (o == null) {
            Map.Entry<String, KObject> child = nodes.higherEntry(p);
            if (child != null && child.getKey().startsWith(p + "/")) throw KErr.of(Errno.ENOTEMPTY, path);
        }
        nodes.remove(p);
        if (o != null) o.putUser();
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
