package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * An object named on the command line as bpftool names it: {@code ID}, or {@code pinned PATH}
 * for an object pinned on bpffs.
 *
 * @param id the id, or 0 for a pinned object
 * @param path the pin path, or null for an id
 */
record Target(int id, String path) {
    /** The parameter label the commands show. */
    static final String LABEL = "ID|pinned PATH";

    /**
     * Reads the words.
     *
     * @throws IllegalArgumentException naming {@code ID} or {@code PATH} when they are not one of
     *     the two forms
     */
    static Target parse(List<String> words) {
        if (words == null || words.isEmpty()) throw new IllegalArgumentException("ID: give an id or pinned PATH");
        if (words.get(0).equals("pinned")) {
            if (words.size() != 2 || words.get(1).isEmpty()) throw new IllegalArgumentException("PATH: give one path after pinned");
            return new Target(0, words.get(1));
        }
        if (words.size() != 1) throw new IllegalArgumentException("ID: give one id, or pinned PATH (got " + words + ")");
        int id;
        try {
            id = Integer.parseInt(words.get(0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ID: '" + words.get(0) + "' is neither an id nor 'pinned'");
        }
        if (id <= 0) throw new IllegalArgumentException("ID: " + id + " is not an object id");
        return new Target(id, null);
    }

    /**
     * Opens a descriptor of the object.
     *
     * @param bpf the backend
     * @param byId how to open the object kind by id
     * @return a descriptor the caller closes
     */
    int open(Bpf bpf, IntUnaryOperator byId) {
        return path == null ? byId.applyAsInt(id) : bpf.objGet(path, 0);
    }

    @Override
    public String toString() {
        return path == null ? Integer.toString(id) : "pinned " + path;
    }
}
