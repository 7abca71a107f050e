package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.QuerySpec;
import java.util.HashSet;
import java.util.Set;

/**
 * What a suite needs from a backend beyond {@link Bpf}: a place to pin, a way to remove pins,
 * a network interface and a hook to attach to, how it makes links, and its {@link Profile}.
 * One implementation per backend.
 */
interface Backend {
    /** Opens a fresh backend instance, or aborts the test with the reason it cannot run here. */
    Bpf open();

    /** What the platform has and lacks, from its documentation. */
    Profile profile();

    /** A directory on the backend's bpffs where this run may pin, created if needed. */
    String pinDir();

    /** Removes a pin (bpffs has no bpf() command for it: on Linux it is unlink). */
    void unpin(String path);

    /** An interface index that exists and may carry test programs (the loopback device). */
    int loopbackIfindex();

    /** The loopback device's name, which {@code interfaceIndex} resolves to {@link #loopbackIfindex()}. */
    default String loopbackName() {
        return "lo";
    }

    /** The target of the profile's hook: the loopback device unless the platform attaches elsewhere. */
    default int hookTarget() {
        return loopbackIfindex();
    }

    /** The program the suites link with {@link #link}. */
    default ProgramSpec linkProgram(Profile profile) {
        return profile.hookProgram();
    }

    /** Makes a link for a program the way users of this backend do ({@code BPF_LINK_CREATE} at the hook). */
    default int link(Bpf bpf, Profile profile, int progFd) {
        return bpf.linkCreate(LinkSpec.of(progFd, hookTarget(), profile.hookType(), 0));
    }

    /** The ids of the programs linked where {@link #link} links. */
    default Set<Integer> linkedAt(Bpf bpf, Profile profile) {
        Set<Integer> ids = new HashSet<>();
        for (int id : bpf.progQuery(new QuerySpec(hookTarget(), profile.hookType(), 0)).programIds()) ids.add(id);
        return ids;
    }

    /** Aborts the test where XDP programs need something the platform may lack; XDP is always there by default. */
    default void assumeXdp(Bpf bpf) {
    }

    /** Called after the backend is closed: remove what the run left and fail on leaked descriptors. */
    default void finish() {
    }
}
