package lurewatch.engines.opensearch;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.Version;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.node.Node;

/**
 * Starts a real OpenSearch cluster of 1 or 3 nodes in this JVM for lurewatch's tests.
 *
 * <pre>
 * java -Xmx512m -jar opensearch-launcher.jar CLUSTER NODES BASE_HTTP_PORT DATA_DIR [REPLICAS]
 * </pre>
 *
 * Node i (1-based) listens on 127.0.0.1, HTTP port BASE_HTTP_PORT+i and transport port
 * BASE_HTTP_PORT+100+i. REPLICAS is the cluster's default number_of_replicas for new indices
 * (default 0 for one node, 1 for more), so a single node is green.
 *
 * Protocol: stdout carries only protocol lines; OpenSearch's logs go to DATA_DIR/opensearch.log,
 * anything else (stack traces) to stderr.
 * <ul>
 * <li>out: {@code READY {"cluster":..,"version":..,"status":..,"http_ports":[..],"transport_ports":[..]}}
 * once every node has joined and the cluster is yellow or green.</li>
 * <li>in: {@code stop N} closes node N: out {@code STOPPED N}.</li>
 * <li>in: {@code start N} starts a stopped node N again: out {@code STARTED N} once it has joined.</li>
 * <li>in: {@code quit}, or end of stdin (the test process went away): all nodes close, out
 * {@code BYE}, exit 0.</li>
 * <li>out: {@code ERROR message} for a command that failed; {@code FAILED message} and exit 1
 * when the cluster could not start.</li>
 * </ul>
 */
public final class Launcher {

    private static final TimeValue JOIN_TIMEOUT = TimeValue.timeValueSeconds(120);

    private final PrintStream protocol;
    private final String clusterName;
    private final int nodes;
    private final int baseHttpPort;
    private final Path dataDir;
    private final int replicas;
    private final OpenSearchRunner runner = new OpenSearchRunner();

    private Launcher(PrintStream protocol, String[] args) {
        this.protocol = protocol;
        this.clusterName = args[0];
        this.nodes = Integer.parseInt(args[1]);
        this.baseHttpPort = Integer.parseInt(args[2]);
        this.dataDir = Path.of(args[3]).toAbsolutePath();
        this.replicas = args.length > 4 ? Integer.parseInt(args[4]) : (nodes > 1 ? 1 : 0);
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("NODES must be 1..9, got " + nodes);
        }
    }

    public static void main(String[] args) throws Exception {
        // Keep stdout for the protocol: everything else printed (runner banner, logs) goes to stderr.
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args.length < 4) {
            protocol.println("FAILED usage: CLUSTER NODES BASE_HTTP_PORT DATA_DIR [REPLICAS]");
            System.exit(2);
        }
        Launcher launcher;
        try {
            launcher = new Launcher(protocol, args);
            launcher.start();
        } catch (Throwable e) {
            e.printStackTrace();
            protocol.println("FAILED " + oneLine(e));
            Runtime.getRuntime().halt(1);
            return;
        }
        launcher.serveCommands();
        launcher.closeAll();
        protocol.println("BYE");
        // Some OpenSearch threads are not daemons; the nodes are closed, so leave at once.
        Runtime.getRuntime().halt(0);
    }

    private void start() throws Exception {
        for (int id = 1; id <= nodes; id++) {
            writeLogConfig(dataDir.resolve("node_" + id).resolve("config"), dataDir.resolve("opensearch.log"));
        }
        runner.onBuild((id, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort(id)));
            settings.put("transport.port", String.valueOf(transportPort(id)));
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            // A test machine's disk may be nearly full: never refuse to allocate shards for it.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("cluster.default_number_of_replicas", String.valueOf(replicas));
            if (nodes > 1) {
                List<String> seeds = new ArrayList<>();
                for (int j = 1; j <= nodes; j++) {
                    seeds.add("127.0.0.1:" + transportPort(j));
                }
                settings.putList("discovery.seed_hosts", seeds);
            }
        });
        runner.build(OpenSearchRunner.newConfigs()
                .clusterName(clusterName)
                .numOfNode(nodes)
                .baseHttpPort(baseHttpPort)
                .basePath(dataDir.toString())
                .printOnFailure()
                .build());
        ClusterHealthResponse health = waitForNodes(nodes);
        StringJoiner http = new StringJoiner(",", "[", "]");
        StringJoiner transport = new StringJoiner(",", "[", "]");
        for (int id = 1; id <= nodes; id++) {
            http.add(String.valueOf(httpPort(id)));
            transport.add(String.valueOf(transportPort(id)));
        }
        protocol.println("READY {\"cluster\":\"" + clusterName + "\",\"version\":\"" + Version.CURRENT
                + "\",\"status\":\"" + health.getStatus().name().toLowerCase() + "\",\"http_ports\":" + http
                + ",\"transport_ports\":" + transport + "}");
    }

    private int httpPort(int id) {
        return baseHttpPort + id;
    }

    private int transportPort(int id) {
        return baseHttpPort + 100 + id;
    }

    /** Waits until the given number of nodes have joined and the cluster is at least yellow. */
    private ClusterHealthResponse waitForNodes(int count) {
        ClusterHealthResponse health = runner.client().admin().cluster().prepareHealth()
                .setWaitForNodes(String.valueOf(count))
                .setWaitForYellowStatus()
                .setTimeout(JOIN_TIMEOUT)
                .get();
        if (health.isTimedOut()) {
            throw new IllegalStateException("cluster not ready after " + JOIN_TIMEOUT + ": "
                    + health.getNumberOfNodes() + "/" + count + " nodes, status " + health.getStatus());
        }
        return health;
    }

    private void serveCommands() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "" -> { }
                    case "quit" -> { return; }
                    case "stop" -> stopNode(nodeNumber(words));
                    case "start" -> startNode(nodeNumber(words));
                    default -> protocol.println("ERROR unknown command: " + line.trim());
                }
            } catch (Exception e) {
                e.printStackTrace();
                protocol.println("ERROR " + oneLine(e));
            }
        }
    }

    private int nodeNumber(String[] words) {
        if (words.length != 2) {
            throw new IllegalArgumentException("expected '" + words[0] + " N'");
        }
        int id = Integer.parseInt(words[1]);
        if (id < 1 || id > nodes) {
            throw new IllegalArgumentException("no node " + id + " (nodes are 1.." + nodes + ")");
        }
        return id;
    }

    private void stopNode(int id) throws Exception {
        Node node = runner.getNode(id - 1);
        if (node.isClosed()) {
            throw new IllegalStateException("node " + id + " is already stopped");
        }
        node.close();
        node.awaitClose(30, java.util.concurrent.TimeUnit.SECONDS);
        protocol.println("STOPPED " + id);
    }

    private void startNode(int id) {
        if (!runner.startNode(id - 1)) {
            throw new IllegalStateException("node " + id + " did not start (is it running?)");
        }
        waitForNodes(countOpenNodes());
        protocol.println("STARTED " + id);
    }

    private int countOpenNodes() {
        int open = 0;
        for (int i = 0; i < nodes; i++) {
            if (!runner.getNode(i).isClosed()) {
                open++;
            }
        }
        return open;
    }

    private void closeAll() {
        try {
            runner.close();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    /**
     * All nodes log to one file, DATA_DIR/opensearch.log. Not to the console: OpenSearch
     * redirects System.out/err into its loggers, so after the second node configures logging
     * a console appender would feed itself and lose every line.
     */
    private static void writeLogConfig(Path configDir, Path logFile) throws Exception {
        Files.createDirectories(configDir);
        Files.writeString(configDir.resolve("log4j2.properties"), String.join("\n",
                "status = error",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + logFile.toString().replace("\\", "/"),
                "appender.file.append = true",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d{HH:mm:ss,SSS}][%-5p][%c{1.}][%t]%marker %m%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file",
                "logger.deprecation.name = org.opensearch.deprecation",
                "logger.deprecation.level = error",
                ""));
    }

    private static String oneLine(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString().replace('\n', ' ');
    }
}
