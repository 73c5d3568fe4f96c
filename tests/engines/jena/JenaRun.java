// Apache Jena in one JVM for tests/test_shacl_engines.py (a JVM starts slowly: one run for everything):
//   java -cp JARS JenaRun.java OUT SHAPES BASE ARG...
// run by Java's single-file source launcher (nothing to build; it needs a JDK). JARS: the jars of
// jars.txt beside this file, and a folder that test_shacl_engines.xerces_messages makes (Debian's
// jena-core lacks a file without which Jena does not start). Each ARG is
//   validate=FILE  validate BASE together with FILE against SHAPES with Jena SHACL, or
//   parse=FILE     read FILE (Turtle, N-Triples, JSON-LD 1.1: by its extension) with Jena's RIOT,
// and its result goes to OUT/N.nt, N being the ARG's position from 0 (the report, or the graph read),
// or, if Jena refuses, Jena's message to OUT/N.error: one refusal never hides the other files' results.
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.jena.graph.Graph;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.sparql.graph.GraphFactory;

public class JenaRun {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Graph shapesGraph = read(args[1]);
        Shapes shapes = null;
        String refused = null;
        try {
            shapes = Shapes.parse(shapesGraph);
        } catch (RuntimeException e) {
            refused = "the shapes: " + e;
        }
        for (int i = 3; i < args.length; i++) {
            String[] arg = args[i].split("=", 2);
            Path result = out.resolve((i - 3) + ".nt");
            try {
                Graph graph;
                if (arg[0].equals("validate")) {
                    if (shapes == null) {
                        throw new IllegalStateException(refused);
                    }
                    Graph data = read(args[2]);
                    RDFParser.source(arg[1]).parse(data);
                    graph = ShaclValidator.get().validate(shapes, data).getGraph();
                } else {
                    graph = read(arg[1]);
                }
                try (OutputStream stream = Files.newOutputStream(result)) {
                    RDFDataMgr.write(stream, graph, Lang.NTRIPLES);
                }
            } catch (RuntimeException e) {
                Files.writeString(out.resolve((i - 3) + ".error"), causes(e), StandardCharsets.UTF_8);
            }
        }
    }

    /** The exception and what caused it, one a line: RIOT's own message often says too little. */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\ncaused by ").append(cause);
        }
        return text.toString();
    }

    static Graph read(String path) {
        Graph graph = GraphFactory.createDefaultGraph();
        // JSON-LD 1.1 (Titanium) by name: the output's context needs 1.1 (docs/vocabulary.md)
        Lang lang = path.endsWith(".jsonld") ? Lang.JSONLD11 : null;
        RDFParser.source(path).lang(lang).parse(graph);
        return graph;
    }
}
