package io.snaplake.cli;

import io.snaplake.cli.ops.JsonText;
import io.snaplake.cli.ops.UpEnvFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Asks a running snapshot-listener to announce one snapshot (POST /snapshots). The listener looks the
 * snapshot up in RDS and answers whether it emitted a SnapshotCreated event now or had announced the
 * snapshot before, with the event id either way; this command prints that answer.
 */
@Command(name = "request-snapshot", mixinStandardHelpOptions = true,
        description = {
            "Ask the snapshot-listener to announce one snapshot (it looks it up in RDS).",
            "Prints whether a SnapshotCreated event was emitted now or the snapshot was already known, with the event id.",
            "Exit code: 0 emitted or already known, 1 refused or failed."
        })
public final class SnapshotRequestCommand implements Callable<Integer> {

    /** The listener's own default port, on this machine. */
    static final String DEFAULT_LISTENER_URL = "http://127.0.0.1:8090";

    @Option(names = "--listener-url", paramLabel = "URL", description = "Base URL of the snapshot-listener (default: "
            + "$SNAPLAKE_LISTENER_URL, then " + UpEnvFile.PATH + ", then " + DEFAULT_LISTENER_URL + ").")
    String listenerUrl;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--snapshot-arn", paramLabel = "ARN", required = true,
                description = "The snapshot's ARN, e.g. arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:orders-2026-11-20-03-10")
        String snapshotArn;

        @ArgGroup(exclusive = false)
        BySource bySource;
    }

    static final class BySource {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--snapshot-id", paramLabel = "ID", required = true,
                description = "The snapshot identifier, e.g. rds:orders-2026-11-20-03-10")
        String snapshotId;
    }

    static final class Source {
        @Option(names = "--cluster", paramLabel = "CLUSTER", required = true, description = "Aurora DB cluster identifier.")
        String clusterId;

        @Option(names = "--instance", paramLabel = "INSTANCE", required = true, description = "RDS DB instance identifier.")
        String instanceId;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        String listener = UpEnvFile.resolve(listenerUrl, "SNAPLAKE_LISTENER_URL", DEFAULT_LISTENER_URL);
        HttpRequest request = HttpRequest.newBuilder(URI.create(stripTrailingSlash(listener) + "/snapshots"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JsonText.object(requestFields())))
                .build();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            System.err.println("Could not reach the snapshot-listener at " + listener + ": " + unreachable);
            return 1;
        }
        boolean accepted = response.statusCode() == 200 || response.statusCode() == 201;
        (accepted ? System.out : System.err).println(response.body());
        return accepted ? 0 : 1;
    }

    /** The request body: the snapshot's ARN, or its identifier with its cluster or instance. */
    Map<String, String> requestFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (target.snapshotArn != null) {
            fields.put("snapshotArn", target.snapshotArn);
            return fields;
        }
        if (target.bySource.source.clusterId != null) {
            fields.put("clusterId", target.bySource.source.clusterId);
        } else {
            fields.put("instanceId", target.bySource.source.instanceId);
        }
        fields.put("snapshotId", target.bySource.snapshotId);
        return fields;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
