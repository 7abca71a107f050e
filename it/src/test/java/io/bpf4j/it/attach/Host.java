package io.bpf4j.it.attach;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.Bpf;
import io.bpf4j.it.LinuxKernel;

/**
 * The few libc calls the attach tests make themselves through JNA ({@code setns}, {@code gettid},
 * {@code getpid}, {@code close}), so that the events a program counts are really caused by this
 * test. Everything else about the host is in {@code io.bpf4j.testsupport}.
 */
final class Host {
    private Host() {
    }

    /** The libc functions the tests call directly. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int gettid();

        int getpid();
    }

    static final int CLONE_NEWNET = 0x40000000;

    /** The linux backend, for test classes that keep more per-class state than {@link KernelTest}. */
    static Bpf open() {
        return LinuxKernel.open();
    }
}
