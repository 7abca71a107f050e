package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.Errno;

/**
 * Reads through a socket pointer ({@code check_sock_access()}, {@code bpf_sock_is_valid_access()},
 * Linux 6.18): {@code struct bpf_sock} (include/uapi/linux/bpf.h) is read-only, read by whole
 * 32-bit fields, or narrower for the family, type, protocol, addresses, ports, state and queue.
 */
final class Sockets {
    /** {@code sizeof(struct bpf_sock)}. */
    static final int SIZE = 80;
    /** {@code dst_port}: a 16-bit field, then two bytes of padding no access may touch. */
    private static final int DST_PORT = 48;

    private Sockets() {
    }

    /**
     * Whether {@code off} may be read narrower than 32 bits: anywhere in the addresses, at the start
     * of the family, type, protocol, source port, state and queue fields; never in
     * {@code bound_dev_if}, {@code mark} or {@code priority}.
     */
    private static boolean narrowOk(int off) {
        switch (off) {
            case 4: case 8: case 12: case 44: case 72: case 76: return true;
            default: return off >= 24 && off < 44 || off >= 52 && off < 72;
        }
    }

    static void access(int regno, int off, int size, boolean write) {
        if (write) Verifier.reject(Errno.EACCES, "R" + regno + " cannot write into sock");
        boolean ok = off >= 0 && off < SIZE && off % size == 0 && size <= 4;
        if (ok && off >= DST_PORT && off < DST_PORT + 4) {
            ok = size == 4 ? off == DST_PORT : off + size <= DST_PORT + 2;
        } else if (ok && size < 4) {
            ok = narrowOk(off);
        }
        if (!ok) Verifier.reject(Errno.EACCES, "R" + regno + " invalid sock access off=" + off + " size=" + size);
    }
}
