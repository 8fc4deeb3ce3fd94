package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog.CatalogSnapshot;
import java.util.Locale;

/** Announces one snapshot an operator names, after looking it up in RDS. */
public record ManualSnapshotRequests(SnapshotCatalog catalog, ConfiguredSources sources, SnapshotEmitter emitter) {

    /**
     * @throws InvalidRequestException when the request names no snapshot, or one that is not exportable
     * @throws SnapshotNotFoundException when RDS has no such snapshot
     */
    public EmitResult request(SnapshotRequest request) {
        CatalogSnapshot found = lookUp(request);
        RdsSnapshot snapshot = found.snapshot();
        if (!sources.includes(snapshot)) {
            throw new InvalidRequestException(snapshot.sourceType().name().toLowerCase() + " " + snapshot.sourceId()
                    + " is not one of the configured sources (snaplake.listener.sources); add it there first");
        }
        if (!found.available()) {
            throw new InvalidRequestException("snapshot " + snapshot.snapshotArn() + " is " + found.status()
                    + "; only an available snapshot can be exported");
        }
        return emitter.emit(snapshot, DiscoverySource.MANUAL);
    }

    private CatalogSnapshot lookUp(SnapshotRequest request) {
        if (present(request.snapshotArn())) {
            SnapshotArn arn = SnapshotArn.parse(request.snapshotArn()).orElseThrow(() -> new InvalidRequestException(
                    "'" + request.snapshotArn() + "' is not an RDS snapshot ARN (arn:aws:rds:<region>:<account>:cluster-snapshot:<id>)"));
            return catalog.snapshot(arn.sourceType(), arn.snapshotId()).filter(s -> s.snapshot().snapshotArn().equals(arn.arn()))
                    .orElseThrow(() -> new SnapshotNotFoundException("RDS has no snapshot " + arn.arn()));
        }
        if (!present(request.snapshotId()) || present(request.clusterId()) == present(request.instanceId())) {
            throw new InvalidRequestException("name a snapshot by snapshotArn, or by snapshotId with either clusterId or instanceId");
        }
        SnapshotSourceType type = present(request.clusterId()) ? SnapshotSourceType.CLUSTER : SnapshotSourceType.INSTANCE;
        String sourceId = type == SnapshotSourceType.CLUSTER ? request.clusterId() : request.instanceId();
        return catalog.snapshot(type, request.snapshotId())
                .filter(s -> s.snapshot().sourceId().equalsIgnoreCase(sourceId))
                .orElseThrow(() -> new SnapshotNotFoundException("RDS has no snapshot " + request.snapshotId() + " of "
                        + type.name().toLowerCase(Locale.ROOT) + " " + sourceId));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The request cannot be honoured as asked (HTTP 400/422). */
    public static final class InvalidRequestException extends RuntimeException {
        public InvalidRequestException(String message) {
            super(message);
        }
    }

    /** RDS does not know the snapshot (HTTP 404). */
    public static final class SnapshotNotFoundException extends RuntimeException {
        public SnapshotNotFoundException(String message) {
            super(message);
        }
    }
}
