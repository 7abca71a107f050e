package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;

import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;

/** Program loads as scenario steps: trivial programs whose only job is to exist. */
final class Progs {
    private Progs() {
    }

    static Scenario load(Scenario s, String sym, ProgramType type, int ret) {
        return load(s, sym, ProgramSpec.of(type, new Asm().mov64(R0, ret).exit().toArray(), "GPL"),
                type + " return " + ret);
    }

    static Scenario load(Scenario s, String sym, ProgramSpec spec, String what) {
        return s.step("load " + sym + " " + what + (spec.expectedAttachType() != null ? " for " + spec.expectedAttachType() : ""),
                c -> {
                    c.def(sym, c.bpf.progLoad(spec).fd());
                    return "loaded";
                });
    }
}
