package io.bpf4j.linux.internal.sys;

import io.bpf4j.internal.binding.Bindings;

/**
 * Picks the native binding at run time: FFM on JDK 22+, JNA on 17 to 21 or when
 * {@code -Dbpf4j.native=jna}; {@code -Dbpf4j.native=ffm} insists on FFM.
 *
 * @param syscalls the binding, or null when none works
 * @param reason why none works, in words a user can act on; null on success
 * @param cause the failure behind the reason, or null
 */
public record NativeBinding(Syscalls syscalls, String reason, Throwable cause) {
    private static final String FFM_CLASS = "io.bpf4j.linux.internal.sys.FfmSyscalls";

    /**
     * Tries the bindings in order.
     *
     * @return the binding, or the reason none works
     */
    public static NativeBinding load() {
        Bindings.Choice<Syscalls> c = Bindings.choose(System.getProperty(Bindings.PROPERTY), "io.bpf4j.linux",
                () -> (Syscalls) Class.forName(FFM_CLASS).getConstructor().newInstance(), JnaSyscalls::new, null);
        return new NativeBinding(c.binding(), c.reason(), c.cause());
    }
}
