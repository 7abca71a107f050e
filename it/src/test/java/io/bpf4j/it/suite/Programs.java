package io.bpf4j.it.suite;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;

/** Small programs the suite loads, written with the assembler. */
final class Programs {
    private Programs() {
    }

    /** {@code return value;} */
    static long[] returning(int value) {
        return new Asm().mov64(R0, value).exit().toArray();
    }

    /**
     * Adds 1 to the 8-byte value at key 0 of an array map, then returns {@code retval}.
     *
     * @param mapFd an array map with 4-byte keys and 8-byte values
     */
    static long[] countInto(int mapFd, int retval) {
        return new Asm()
                .stw(R10, -4, 0)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, mapFd)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .mov64(R1, 1)
                .atomicAdd64(R0, 0, R1)
                .label("out")
                .mov64(R0, retval)
                .exit()
                .toArray();
    }
}
