package lurewatch.engines.elasticsearch;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.health.ClusterHealthResponse;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.node.MockNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Starts one real Elasticsearch 8 node in this JVM for lurewatch's tests.
 *
 * <pre>
 * java -Xmx512m -jar elasticsearch-launcher.jar CLUSTER 1 BASE_HTTP_PORT DATA_DIR
 * </pre>
 *
 * The node listens on 127.0.0.1, HTTP port BASE_HTTP_PORT+1, transport port BASE_HTTP_PORT+101.
 * It is Elasticsearch's server with the netty4 transport only: the other modules
 * (analysis-common, aggregations, mapper-extras, painless, reindex, x-pack ...) are not
 * published on Maven Central, so their analyzers, queries and APIs are absent.
 *
 * Protocol as the OpenSearch launcher's: stdout {@code READY {..json..}}; stdin {@code quit}
 * or end of input closes the node and prints {@code BYE}; {@code FAILED message} on failure.
 */
public final class Launcher {

    static String[] arguments;

    /**
     * With the test framework on the classpath, org.elasticsearch.common.Randomness wants a
     * RandomizedRunner context on every thread (else "running tests but failed to invoke
     * RandomizedContext#getRandom"), and MockNode calls ESTestCase: so the node lives inside one
     * JUnit test run by RandomizedRunner; its threads inherit the test's thread group and context.
     */
    public static void main(String[] args) throws Exception {
        arguments = args;
        org.junit.runner.Result result = org.junit.runner.JUnitCore.runClasses(NodeHolder.class);
        for (org.junit.runner.notification.Failure failure : result.getFailures()) {
            System.err.println(failure.getTrace());
        }
        Runtime.getRuntime().halt(result.wasSuccessful() ? 0 : 1);
    }

    static void run(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args.length < 4 || !"1".equals(args[1])) {
            protocol.println("FAILED usage: CLUSTER 1 BASE_HTTP_PORT DATA_DIR (one node only)");
            System.exit(2);
        }
        String cluster = args[0];
        int base = Integer.parseInt(args[2]);
        Path home = Path.of(args[3]).toAbsolutePath();
        Node node;
        try {
            Files.createDirectories(home.resolve("config"));
            LogConfigurator.configureESLogging();
            Settings settings = Settings.builder()
                    .put("cluster.name", cluster)
                    .put("node.name", "Node 1")
                    .put("path.home", home.toString())
                    .put("path.data", home.resolve("data").toString())
                    .put("network.host", "127.0.0.1")
                    .put("http.port", base + 1)
                    .put("transport.port", base + 101)
                    .put("discovery.type", "single-node")
                    .put("cluster.routing.allocation.disk.threshold_enabled", false)
                    .build();
            node = new MockNode(settings, List.of(Netty4Plugin.class));
            node.start();
            ClusterHealthResponse health = node.client().admin().cluster()
                    .prepareHealth(TimeValue.timeValueSeconds(120))
                    .setWaitForYellowStatus()
                    .get();
            protocol.println("READY {\"cluster\":\"" + cluster + "\",\"version\":\"" + Build.current().version()
                    + "\",\"status\":\"" + health.getStatus().name().toLowerCase() + "\",\"http_ports\":["
                    + (base + 1) + "],\"transport_ports\":[" + (base + 101) + "]}");
        } catch (Throwable e) {
            e.printStackTrace();
            protocol.println("FAILED " + e.toString().replace('\n', ' '));
            Runtime.getRuntime().halt(1);
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
            if (!line.isBlank()) {
                protocol.println("ERROR unknown command: " + line.trim());
            }
        }
        node.close();
        node.awaitClose(30, TimeUnit.SECONDS);
        protocol.println("BYE");
    }
}
