package io.bpf4j.api;

import io.bpf4j.internal.rules.ObjRules;

/** The kernel's rule for object names, checked when a spec is made. */
final class Names {
    private Names() {
    }

    static String check(String name, String param) {
        if (name == null) return "";
        ObjRules.name(name, param);
        return name;
    }
}
