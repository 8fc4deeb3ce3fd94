package io.snaplake.testkit.proxy;

import io.snaplake.testkit.proxy.FaultSchedule.Decision;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One client connection through the proxy, served by one thread: each request is read, decided on by the
 * {@link FaultSchedule}, delayed, forwarded on this connection's own upstream connection, and its response
 * relayed (or replaced by an error). Clients must not pipeline requests (SDKs and the AWS CLI do not).
 */
final class ProxyConnection implements Runnable {

    private static final int BUFFER = 16 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final Socket client;
    private final InetSocketAddress upstreamAddress;
    private final long latencyMillis;
    private final FaultSchedule faults;
    private final WireLog wire;
    private final byte[] buffer = new byte[BUFFER];
    private Socket upstream;
    private InputStream fromUpstream;
    private OutputStream toUpstream;

    ProxyConnection(Socket client, InetSocketAddress upstreamAddress, long latencyMillis, FaultSchedule faults, WireLog wire) {
        this.client = client;
        this.upstreamAddress = upstreamAddress;
        this.latencyMillis = latencyMillis;
        this.faults = faults;
        this.wire = wire;
    }

    @Override
    public void run() {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream fromClient = new ConnectionInput(client.getInputStream(), BUFFER);
            OutputStream toClient = new BufferedOutputStream(client.getOutputStream(), BUFFER);
            HttpHead request;
            while ((request = HttpHead.read(fromClient)) != null) {
                if (!serve(request, fromClient, toClient)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client or the upstream closed its connection: this connection ends, the proxy goes on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeUpstream();
        }
    }

    /** Serves one request; {@code false} when the connection must end after it. */
    private boolean serve(HttpHead received, InputStream fromClient, OutputStream toClient)
            throws IOException, InterruptedException {
        wire.countRequest();
        HttpHead request = received;
        if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
            // The proxy reads the body itself; the upstream gets it whole, without the expectation.
            toClient.write(CONTINUE);
            toClient.flush();
            request = request.without("Expect");
        }
        byte[] body = HttpBodies.buffered(request) ? HttpBodies.readAll(request, fromClient) : null;
        boolean head = request.method().equals("HEAD");
        boolean untouched = request.target().startsWith("/moto-api");
        AwsCall call = AwsCall.of(request, body);
        Decision decision = untouched ? Decision.PASS : faults.decide(call);
        if (decision.before() != null) {
            if (body == null) {
                HttpBodies.copyRequest(request, fromClient, OutputStream.nullOutputStream(), buffer);
            }
            ErrorResponses.write(toClient, decision.before(), call.protocol(), head);
            return true;
        }
        if (latencyMillis > 0 && !untouched) {
            // The delay is the behaviour simulated (network distance to the service), not a wait for a condition.
            Thread.sleep(latencyMillis);
        }
        HttpHead response = forward(request, body, fromClient);
        if (response == null) {
            ErrorResponses.writeBadGateway(toClient);
            return false;
        }
        if (!untouched) {
            wire.forwarded(call, response.status(), decision.after());
        }
        OutputStream relayTo = decision.after() ? OutputStream.nullOutputStream() : toClient;
        if (!decision.after()) {
            toClient.write(response.bytes());
        }
        boolean bodyRanToClose = HttpBodies.copyResponse(response, head, fromUpstream, relayTo, buffer);
        if (bodyRanToClose || response.closesConnection()) {
            closeUpstream();
        }
        if (decision.after()) {
            faults.faultedAfter();
            ErrorResponses.write(toClient, AwsError.of(Fault.INTERNAL_ERROR_500, call.protocol()), call.protocol(), head);
            return true;
        }
        toClient.flush();
        return !bodyRanToClose;
    }

    /**
     * Sends the request upstream and reads the head of its final response; {@code null} when the upstream cannot
     * be reached. An upstream that closed a kept-alive connection while it was idle gets the request once more on
     * a new connection, when its body was read whole.
     */
    private HttpHead forward(HttpHead request, byte[] body, InputStream fromClient) {
        boolean reused = upstream != null;
        try {
            HttpHead response = send(request, body, fromClient);
            if (response != null || !reused || body == null) {
                return response;
            }
        } catch (IOException e) {
            if (!reused || body == null) {
                closeUpstream();
                return null;
            }
        }
        closeUpstream();
        try {
            return send(request, body, fromClient);
        } catch (IOException e) {
            closeUpstream();
            return null;
        }
    }

    private HttpHead send(HttpHead request, byte[] body, InputStream fromClient) throws IOException {
        if (upstream == null) {
            upstream = new Socket();
            upstream.setTcpNoDelay(true);
            upstream.connect(upstreamAddress);
            fromUpstream = new ConnectionInput(upstream.getInputStream(), BUFFER);
            toUpstream = new BufferedOutputStream(upstream.getOutputStream(), BUFFER);
        }
        toUpstream.write(request.bytes());
        if (body != null) {
            toUpstream.write(body);
        } else {
            HttpBodies.copyRequest(request, fromClient, toUpstream, buffer);
        }
        toUpstream.flush();
        HttpHead response = HttpHead.read(fromUpstream);
        // Interim answers (1xx) are the upstream's business: the client already had its 100 Continue.
        while (response != null && response.status() < 200) {
            response = HttpHead.read(fromUpstream);
        }
        return response;
    }

    private void closeUpstream() {
        if (upstream != null) {
            try {
                upstream.close();
            } catch (IOException e) {
                // Closing is best effort: the connection is dropped either way.
            }
            upstream = null;
        }
    }
}
