/**
 * bpf4j's portable API: the {@link io.bpf4j.api.Bpf} interface every backend implements, the
 * object layer on top of it, the instruction assembler, BTF, the ELF object loader and the event
 * readers.
 */
module io.bpf4j.api {
    exports io.bpf4j.api;
    exports io.bpf4j.api.asm;
    exports io.bpf4j.internal.rules to io.bpf4j.linux, io.bpf4j.windows, io.bpf4j.sim;
    exports io.bpf4j.api.btf;
    exports io.bpf4j.api.object;
    exports io.bpf4j.api.events;
    exports io.bpf4j.api.symbols;
    exports io.bpf4j.api.typed;
    exports io.bpf4j.internal.binding to io.bpf4j.linux, io.bpf4j.windows;
    exports io.bpf4j.internal.spi to io.bpf4j.linux, io.bpf4j.windows, io.bpf4j.sim;

    uses io.bpf4j.api.BpfProvider;
}
