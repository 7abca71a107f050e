package io.bpf4j.api;

import io.bpf4j.api.btf.Btf;
import java.util.Objects;

/**
 * An owned BTF object.
 *
 * {@snippet :
 * try (BpfBtf btf = BpfBtf.load(bpf, rawBtf)) {
 *     System.out.println(btf.info().id());
 * }
 * }
 */
public final class BpfBtf extends BpfObject {
    private final String log;

    private BpfBtf(Bpf bpf, int fd, String log) {
        super(bpf, fd);
        this.log = log;
    }

    /**
     * Loads raw BTF ({@code BPF_BTF_LOAD}).
     *
     * @param bpf the backend
     * @param raw header, type and string sections
     * @return the handle
     * @throws VerifierException when the kernel refuses the blob, with its log
     */
    public static BpfBtf load(Bpf bpf, byte[] raw) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(raw, "raw");
        LoadResult r = bpf.btfLoad(raw, 0);
        return new BpfBtf(bpf, r.fd(), r.log());
    }

    /**
     * Opens a BTF object by id.
     *
     * @param bpf the backend
     * @param id the id
     * @return the handle
     */
    public static BpfBtf fromId(Bpf bpf, int id) {
        return new BpfBtf(bpf, bpf.btfGetFdById(id), "");
    }

    /**
     * Takes ownership of a descriptor.
     *
     * @param bpf the backend
     * @param fd the descriptor, now owned by the handle
     * @return the handle
     */
    public static BpfBtf fromFd(Bpf bpf, int fd) {
        return new BpfBtf(bpf, fd, "");
    }

    /**
     * The object's info.
     *
     * @return the info
     */
    public BtfInfo info() {
        return with(bpf()::btfGetInfo);
    }

    /**
     * The object's raw BTF as the kernel keeps it ({@link Bpf#btfGetData(int)}).
     *
     * @return header, types and strings
     * @throws BpfUnsupportedException on a backend without BTF (eBPF for Windows)
     */
    public byte[] data() {
        return with(bpf()::btfGetData);
    }

    /**
     * The object's BTF, fetched and parsed. For a kernel module's BTF, which is split, use
     * {@link #parse(Btf)} with the kernel's ({@link io.bpf4j.api.btf.KernelBtf#vmlinux()}).
     *
     * @return the parsed BTF
     * @throws io.bpf4j.api.btf.BtfFormatException when the bytes are not BTF this library reads
     */
    public Btf parse() {
        return Btf.parse(data());
    }

    /**
     * The object's split BTF, fetched and parsed on its base.
     *
     * @param base the BTF it continues, e.g. vmlinux's for a module's
     * @return the parsed BTF
     * @throws io.bpf4j.api.btf.BtfFormatException when the bytes are not BTF on that base
     */
    public Btf parse(Btf base) {
        Objects.requireNonNull(base, "base");
        return Btf.parse(data(), base);
    }

    /**
     * The log of the load, when one was written.
     *
     * @return the log, possibly empty
     */
    public String log() {
        return log;
    }

    @Override
    String describe() {
        return "btf";
    }
}
