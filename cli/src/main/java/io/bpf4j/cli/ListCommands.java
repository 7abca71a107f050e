package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.ProgramInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j prog|map|link list|show}: the objects the backend has, by id, as bpftool's
 * {@code list} and {@code show} print them: one line each (or a JSON array, or one JSON object
 * for {@code show}), types in bpftool's lower-case names so the two can be compared.
 */
final class ListCommands {
    private ListCommands() {
    }

    /** An object kind: how to walk its ids and describe one. */
    private interface Kind<I> {
        int next(Bpf bpf, int id);

        int open(Bpf bpf, int id);

        I info(Bpf bpf, int fd);

        String text(I info);

        String json(I info);

        /** The kind's name in messages. */
        String noun();
    }

    private static final Kind<ProgramInfo> PROGS = new Kind<>() {
        public int next(Bpf bpf, int id) {
            return bpf.progGetNextId(id);
        }

        public int open(Bpf bpf, int id) {
            return bpf.progGetFdById(id);
        }

        public ProgramInfo info(Bpf bpf, int fd) {
            return bpf.progGetInfo(fd);
        }

        public String text(ProgramInfo p) {
            return p.id() + ": " + lower(p.type().name()) + "  name " + p.name() + "  tag " + p.tag()
                    + (p.gplCompatible() ? "  gpl" : "") + "  xlated " + p.xlatedSize() + "B  jited " + p.jitedSize() + "B"
                    + (p.mapIds().length == 0 ? "" : "  map_ids " + join(p.mapIds())) + (p.btfId() == 0 ? "" : "  btf_id " + p.btfId());
        }

        public String noun() {
            return "program";
        }

        public String json(ProgramInfo p) {
            return "{\"id\":" + p.id() + ",\"type\":" + Json.quote(lower(p.type().name())) + ",\"name\":" + Json.quote(p.name())
                    + ",\"tag\":" + Json.quote(p.tag()) + ",\"gpl_compatible\":" + p.gplCompatible() + ",\"bytes_xlated\":"
                    + p.xlatedSize() + ",\"bytes_jited\":" + p.jitedSize() + ",\"map_ids\":[" + join(p.mapIds())
                    + "],\"btf_id\":" + p.btfId() + "}";
        }
    };

    private static final Kind<MapInfo> MAPS = new Kind<>() {
        public int next(Bpf bpf, int id) {
            return bpf.mapGetNextId(id);
        }

        public int open(Bpf bpf, int id) {
            return bpf.mapGetFdById(id);
        }

        public MapInfo info(Bpf bpf, int fd) {
            return bpf.mapGetInfo(fd);
        }

        public String text(MapInfo m) {
            return m.id() + ": " + lower(m.type().name()) + "  name " + m.name() + "  flags 0x" + Integer.toHexString(m.flags())
                    + "  key " + m.keySize() + "B  value " + m.valueSize() + "B  max_entries " + m.maxEntries()
                    + (m.btfId() == 0 ? "" : "  btf_id " + m.btfId());
        }

        public String noun() {
            return "map";
        }

        public String json(MapInfo m) {
            return "{\"id\":" + m.id() + ",\"type\":" + Json.quote(lower(m.type().name())) + ",\"name\":" + Json.quote(m.name())
                    + ",\"flags\":" + m.flags() + ",\"bytes_key\":" + m.keySize() + ",\"bytes_value\":" + m.valueSize()
                    + ",\"max_entries\":" + m.maxEntries() + ",\"btf_id\":" + m.btfId() + "}";
        }
    };

    private static final Kind<LinkInfo> LINKS = new Kind<>() {
        public int next(Bpf bpf, int id) {
            return bpf.linkGetNextId(id);
        }

        public int open(Bpf bpf, int id) {
            return bpf.linkGetFdById(id);
        }

        public LinkInfo info(Bpf bpf, int fd) {
            return bpf.linkGetInfo(fd);
        }

        public String text(LinkInfo l) {
            return l.id() + ": " + lower(l.type().name()) + "  prog " + l.progId() + "  " + l.details();
        }

        public String noun() {
            return "link";
        }

        public String json(LinkInfo l) {
            return "{\"id\":" + l.id() + ",\"type\":" + Json.quote(lower(l.type().name())) + ",\"prog_id\":" + l.progId()
                    + ",\"details\":" + Json.quote(String.valueOf(l.details())) + "}";
        }
    };

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String join(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) sb.append(i == 0 ? "" : ",").append(ids[i]);
        return sb.toString();
    }

    /** Every object's info, in id order; an object freed between two calls is skipped, as bpftool does. */
    private static <I> List<I> all(Bpf bpf, Kind<I> k) {
        List<I> out = new ArrayList<>();
        for (int id = k.next(bpf, 0); id != 0; id = k.next(bpf, id)) {
            int fd;
            try {
                fd = k.open(bpf, id);
            } catch (BpfException gone) {
                continue;
            }
            try {
                out.add(k.info(bpf, fd));
            } finally {
                bpf.closeFd(fd);
            }
        }
        return out;
    }

    private static <I> I one(Bpf bpf, Kind<I> k, Target t) {
        int fd = t.open(bpf, id -> k.open(bpf, id));
        try {
            return k.info(bpf, fd);
        } catch (IllegalArgumentException notThisKind) {
            // Only a pinned path can name an object of another kind; the backend refuses its descriptor.
            if (t.path() == null) throw notThisKind;
            throw new IllegalArgumentException("PATH: " + t.path() + " is not a " + k.noun() + " (" + notThisKind.getMessage() + ")");
        } finally {
            bpf.closeFd(fd);
        }
    }

    /** The options every list and show take. */
    abstract static class Base extends BackendCommand {
        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        abstract Kind<?> kind();

        /** The object to show, or null to list. */
        Target target() {
            return null;
        }

        @Override
        void run(Bpf bpf, PrintWriter out) {
            print(bpf, kind(), out);
        }

        private <I> void print(Bpf bpf, Kind<I> k, PrintWriter out) {
            Target t = target();
            if (t != null) {
                I info = one(bpf, k, t);
                out.println(json ? k.json(info) : k.text(info));
            } else {
                List<I> infos = all(bpf, k);
                if (json) {
                    List<String> items = new ArrayList<>();
                    for (I i : infos) items.add(k.json(i));
                    out.println("[" + String.join(",", items) + "]");
                } else {
                    for (I i : infos) out.println(k.text(i));
                }
            }
            out.flush();
        }
    }

    /** {@code list}: every object. */
    abstract static class ListBase extends Base {
    }

    /** {@code show ID|pinned PATH}: one object. */
    abstract static class ShowBase extends Base {
        @Parameters(arity = "1..2", paramLabel = Target.LABEL, description = "The object's id, or pinned and its path on bpffs.")
        java.util.List<String> shown;

        @Override
        Target target() {
            return Target.parse(shown);
        }
    }

    /** {@code bpf4j prog}. */
    @Command(name = "prog", mixinStandardHelpOptions = true, description = "List, show, dump, test-run and pin loaded programs.",
            subcommands = {ProgList.class, ProgShow.class, ProgDumpCommands.Dump.class, ProgLinkCommands.Run.class,
                ProgLinkCommands.ProgPin.class})
    static final class Prog implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** {@code bpf4j prog list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every loaded program: id, type, name, tag, sizes, maps.")
    static final class ProgList extends ListBase {
        @Override
        Kind<?> kind() {
            return PROGS;
        }
    }

    /** {@code bpf4j prog show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "One program, by id or by pin path.")
    static final class ProgShow extends ShowBase {
        @Override
        Kind<?> kind() {
            return PROGS;
        }
    }

    /** {@code bpf4j map}. */
    @Command(name = "map", mixinStandardHelpOptions = true, description = "List, show, dump and change maps.",
            subcommands = {MapList.class, MapShow.class, MapElemCommands.Dump.class, MapElemCommands.Lookup.class,
                MapElemCommands.Update.class, MapElemCommands.Delete.class, MapElemCommands.GetNext.class,
                MapElemCommands.Push.class, MapElemCommands.Pop.class, MapElemCommands.Peek.class, MapElemCommands.Freeze.class,
                MapElemCommands.Pin.class})
    static final class Map implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** {@code bpf4j map list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every map: id, type, name, flags, key and value sizes, entries.")
    static final class MapList extends ListBase {
        @Override
        Kind<?> kind() {
            return MAPS;
        }
    }

    /** {@code bpf4j map show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "One map, by id or by pin path.")
    static final class MapShow extends ShowBase {
        @Override
        Kind<?> kind() {
            return MAPS;
        }
    }

    /** {@code bpf4j link}. */
    @Command(name = "link", mixinStandardHelpOptions = true, description = "List, show, detach and pin links.",
            subcommands = {LinkList.class, LinkShow.class, ProgLinkCommands.LinkDetach.class, ProgLinkCommands.LinkPin.class})
    static final class Link implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** {@code bpf4j link list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every link: id, type, program, what it is attached to.")
    static final class LinkList extends ListBase {
        @Override
        Kind<?> kind() {
            return LINKS;
        }
    }

    /** {@code bpf4j link show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "One link, by id or by pin path.")
    static final class LinkShow extends ShowBase {
        @Override
        Kind<?> kind() {
            return LINKS;
        }
    }
}
