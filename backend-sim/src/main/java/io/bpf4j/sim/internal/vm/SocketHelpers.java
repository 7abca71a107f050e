package io.bpf4j.sim.internal.vm;

/**
 * The socket lookup helpers ({@code sk_lookup_tcp}, {@code sk_lookup_udp}, {@code skc_lookup_tcp})
 * and {@code sk_release}. The simulated network namespace has no sockets, as a fresh one on Linux
 * has none: every lookup finds nothing and returns NULL, whatever the tuple, namespace or flags,
 * so a program never holds a socket it could release.
 */
final class SocketHelpers {
    private SocketHelpers() {}

    /** {@code bpf_sk_lookup_tcp/udp()} and {@code bpf_skc_lookup_tcp()}: the tuple is read, no socket matches. */
    static long lookup(Vm vm, long ctx, long tuple, long len, long netns, long flags) {
        int n = (int) len;
        if (n > 0) vm.read(tuple, n);
        return 0;
    }

    /** {@code bpf_sk_release()}: only a socket from a lookup may be passed, and there is none. */
    static long release(Vm vm, long sk, long r2, long r3, long r4, long r5) {
        throw new VmException(-1, "bpf_sk_release: " + Memory.hex(sk) + " is not a socket (the simulator has none)");
    }
}
