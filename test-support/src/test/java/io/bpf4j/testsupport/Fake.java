package io.bpf4j.testsupport;

/** Stand-ins named like the api's enums, which this module cannot see. */
final class Fake {
    private Fake() {
    }

    enum Operation { MAP_CREATE, TOKEN_CREATE }

    enum MapType { HASH, ARENA }

    enum AttachType { XDP, TRACE_FENTRY, NO_SUCH_HOOK }

    enum LinkType { XDP }

    enum ProgramType { XDP }

    enum Colour { RED }
}
