package io.bpf4j.it.object;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The libc calls whose tracepoints the tests fire themselves. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int gettid();

    int getpid();
}
