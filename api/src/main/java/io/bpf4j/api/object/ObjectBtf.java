package io.bpf4j.api.object;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfSanitizer;
import io.bpf4j.api.btf.BtfType;

/**
 * The object's BTF loaded into the kernel, so that its maps carry their key and value types as
 * libbpf's do. As in libbpf it is optional: when the backend refuses it, even after the kinds
 * an older kernel lacks are rewritten, the maps are made without it and {@link #whyNot()} says
 * why.
 */
final class ObjectBtf implements AutoCloseable {
    private final BpfBtf btf;
    private final String whyNot;

    private ObjectBtf(BpfBtf btf, String whyNot) {
        this.btf = btf;
        this.whyNot = whyNot;
    }

    static ObjectBtf load(Bpf bpf, ObjectSpec spec) {
        if (spec.btf().isEmpty()) return new ObjectBtf(null, "the object has no .BTF");
        BtfBuilder b = BtfBuilder.from(spec.btf().get());
        for (BtfType.Datasec d : spec.fixedDatasecs()) b.replace(d.id(), d);
        spec.externs().fixBtf(b);
        try {
            return new ObjectBtf(BpfBtf.load(bpf, b.marshal()), null);
        } catch (VerifierException refused) {
            try {
                // An older kernel: rewrite what it lacks, as libbpf's bpf_object__sanitize_btf() does.
                BtfSanitizer.sanitize(b, BtfSanitizer.probe(bpf));
                return new ObjectBtf(BpfBtf.load(bpf, b.marshal()), null);
            } catch (BpfException again) {
                return new ObjectBtf(null, again.getMessage());
            }
        } catch (BpfException | IllegalArgumentException e) {
            return new ObjectBtf(null, e.getMessage());
        }
    }

    /** The loaded BTF's descriptor, or 0 when there is none. */
    int fd() {
        return btf == null ? 0 : btf.fd();
    }

    /** Why the object's BTF was not loaded, or null when it was. */
    String whyNot() {
        return whyNot;
    }

    @Override
    public void close() {
        if (btf != null) btf.close();
    }
}
