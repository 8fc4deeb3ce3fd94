package io.snaplake.testkit.proxy;

import java.time.Instant;
import java.util.Map;

/**
 * One request the proxy forwarded, and the upstream's answer before any fault replaced it: the wire log from
 * which a check counts what took effect.
 *
 * @param upstreamStatus the status the upstream answered
 * @param faultAfter     whether the client got a 500 instead of that answer
 * @param parameters     the recorded parameters of the call (see {@link AwsCall#parameters()})
 */
public record Forwarded(Instant at, String service, String operation, int upstreamStatus, boolean faultAfter,
        Map<String, String> parameters) {

    /** Whether the request took effect upstream (a 2xx answer). */
    public boolean tookEffect() {
        return upstreamStatus >= 200 && upstreamStatus < 300;
    }
}
