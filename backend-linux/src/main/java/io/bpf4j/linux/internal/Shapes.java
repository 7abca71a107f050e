package io.bpf4j.linux.internal;

/**
 * The map shapes this backend knows, indexed by descriptor number. Reads are a plain array
 * access (no boxing, no locking) because every element command consults it; writes copy.
 */
final class Shapes {
    private volatile MapShape[] byFd = new MapShape[64];

    MapShape get(int fd) {
        MapShape[] a = byFd;
        return fd >= 0 && fd < a.length ? a[fd] : null;
    }

    synchronized void put(int fd, MapShape s) {
        MapShape[] a = byFd;
        if (fd >= a.length) a = java.util.Arrays.copyOf(a, Math.max(fd + 1, a.length * 2));
        else a = a.clone();
        a[fd] = s;
        byFd = a;
    }

    synchronized void remove(int fd) {
        MapShape[] a = byFd;
        if (fd >= 0 && fd < a.length && a[fd] != null) {
            a = a.clone();
            a[fd] = null;
            byFd = a;
        }
    }
}
