package io.bpf4j.it.diff;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;

/**
 * One program load for the verifier comparisons: the program type, the maps it uses (created
 * fresh on each side, frozen when asked) and the instructions, built from the maps' descriptors.
 */
final class VerifierCase {
    /** The instructions, given the descriptors of the case's maps in order. */
    interface Prog {
        long[] build(int[] maps);
    }

    /** What a load gave: {@code ok} or the errno's name, and the verifier log. */
    record Outcome(String result, String log) {
    }

    final String name;
    final ProgramType type;
    final Prog prog;
    final MapSpec[] maps;
    AttachType eat;
    int flags;
    boolean freeze;

    VerifierCase(String name, ProgramType type, Prog prog, MapSpec... maps) {
        this.name = name;
        this.type = type;
        this.prog = prog;
        this.maps = maps;
    }

    VerifierCase eat(AttachType a) {
        eat = a;
        return this;
    }

    VerifierCase flags(int f) {
        flags = f;
        return this;
    }

    VerifierCase frozen() {
        freeze = true;
        return this;
    }

    /** Loads the case on one backend and closes what it made. */
    Outcome load(Bpf bpf) {
        int[] fds = new int[maps.length];
        int made = 0;
        try {
            for (; made < maps.length; made++) {
                fds[made] = bpf.mapCreate(maps[made]);
                if (freeze) bpf.mapFreeze(fds[made]);
            }
            ProgramSpec spec = ProgramSpec.of(type, prog.build(fds), "GPL").withFlags(flags).withLog(1, 1 << 20);
            if (eat != null) spec = spec.withExpectedAttachType(eat);
            LoadResult r = bpf.progLoad(spec);
            bpf.closeFd(r.fd());
            return new Outcome("ok", r.log());
        } catch (VerifierException e) {
            return new Outcome(e.errno().name(), e.log());
        } catch (BpfException e) {
            return new Outcome(e.errno().name(), e.getMessage());
        } finally {
            for (int i = 0; i < made; i++) bpf.closeFd(fds[i]);
        }
    }
}
