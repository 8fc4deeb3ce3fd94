package io.snaplake.testkit.proxy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the requests a proxy sees and, when asked to, keeps what it forwarded, in order. */
final class WireLog {

    private final boolean recording;
    private final AtomicLong requests = new AtomicLong();
    private final List<Forwarded> forwarded = new ArrayList<>();

    WireLog(boolean recording) {
        this.recording = recording;
    }

    void countRequest() {
        requests.incrementAndGet();
    }

    long requests() {
        return requests.get();
    }

    void forwarded(AwsCall call, int upstreamStatus, boolean faultAfter) {
        if (recording) {
            Forwarded entry = new Forwarded(Instant.now(), call.service(), call.operation(), upstreamStatus, faultAfter,
                    call.parameters());
            synchronized (forwarded) {
                forwarded.add(entry);
            }
        }
    }

    List<Forwarded> forwarded() {
        synchronized (forwarded) {
            return List.copyOf(forwarded);
        }
    }
}
