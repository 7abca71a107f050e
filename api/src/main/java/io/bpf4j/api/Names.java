package io.bpf4j.api;

/** The kernel's rule for object names, checked before any native call. */
final class Names {
    private Names() {
    }

    static String check(String name, String param) {
        if (name == null) return "";
        if (name.length() > MapSpec.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(param + ": \"" + name + "\" is longer than "
                    + MapSpec.MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            if (!ok) throw new IllegalArgumentException(param + ": \"" + name + "\" has '" + c + "'; only [A-Za-z0-9_.] is allowed");
        }
        return name;
    }
}
