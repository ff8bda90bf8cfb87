package statementarchive.esnode;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts an Elasticsearch node for tests and prints its URL.
 *
 * Usage: Launcher HOME_DIR [HTTP_PORT [TRANSPORT_PORT NODE_NAME SEED_HOSTS MASTER_NODES]]
 * (port 0 or absent = any free port). With only HOME_DIR and HTTP_PORT the node is a cluster of
 * its own (discovery.type single-node). With all six arguments it joins a cluster on loopback:
 * SEED_HOSTS is a comma-separated list of host:transport_port of the other nodes, MASTER_NODES
 * the comma-separated node names that may elect the first master (the same on every node).
 * The URL is also written to HOME_DIR/url once HTTP is bound. SIGTERM closes the node.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Launcher HOME_DIR [HTTP_PORT]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String port = args.length > 1 ? args[1] : "0";
        boolean clustered = args.length >= 6;
        if (args.length > 2 && !clustered) {
            System.err.println("usage: Launcher HOME_DIR [HTTP_PORT [TRANSPORT_PORT NODE_NAME "
                + "SEED_HOSTS MASTER_NODES]]");
            System.exit(2);
        }
        String nodeName = clustered ? args[3] : "statement-archive-test";
        Files.createDirectories(home.resolve("config"));

        Settings.Builder builder = Settings.builder()
            .put("node.name", nodeName)
            .put("cluster.name", "statement-archive-test")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", clustered ? args[2] : "0")
            // tests run on nearly full disks too; never refuse to allocate shards
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .put("logger.level", System.getProperty("es.node.log.level", "INFO"))
            // no native zstd/libs outside a distribution; ES falls back to Java and says so loudly
            .put("logger.org.elasticsearch.nativeaccess", "ERROR");
        if (clustered) {
            builder.putList("discovery.seed_hosts", List.of(args[4].split(",")))
                .putList("cluster.initial_master_nodes", List.of(args[5].split(",")));
        } else {
            builder.put("discovery.type", "single-node");
        }
        Settings settings = builder.build();

        // ES logs through log4j-core and its own logging facade: set both up before the node.
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);

        long started = System.nanoTime();
        Node node = new ClasspathNode(new Environment(settings, home.resolve("config")),
            List.of(Netty4Plugin.class));
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "close-node"));
        node.start();

        int httpPort = node.injector().getInstance(HttpServerTransport.class)
            .boundAddress().publishAddress().getPort();
        String url = "http://127.0.0.1:" + httpPort;
        Path tmp = home.resolve("url.tmp");
        Files.writeString(tmp, url + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, home.resolve("url"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("elasticsearch node ready at %s (started in %d ms)%n", url,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        System.out.flush();
        closed.await();
    }

    private Launcher() {
    }
}
