package io.snaplake.lfsharer.domain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * AWS RAM's invitation calls, as the recipient account sees them, served over RAM's REST-JSON to the real
 * SDK client. A test double because moto's RAM has no invitations (GetResourceShareInvitations and
 * AcceptResourceShareInvitation are not implemented there). It keeps what matters: invitations are PENDING
 * until accepted, accepting an unknown invitation is ResourceShareInvitationArnNotFoundException and an
 * accepted one ResourceShareInvitationAlreadyAcceptedException, as on AWS.
 */
final class SimulatedRam implements AutoCloseable {

    private static final Pattern CREDENTIAL = Pattern.compile("^AWS4-HMAC-SHA256 Credential=([^/]+)/\\d{8}/([^/]+)/ram/aws4_request, ");
    private static final Pattern ARN = Pattern.compile("\"resourceShareInvitationArn\"\\s*:\\s*\"([^\"]+)\"");

    private record Invitation(String arn, String shareName, String sender, String receiver, String status) {
        String json() {
            return "{\"resourceShareInvitationArn\":\"" + arn + "\",\"resourceShareName\":\"" + shareName
                    + "\",\"resourceShareArn\":\"arn:aws:ram:us-east-1:" + sender + ":resource-share/" + shareName
                    + "\",\"senderAccountId\":\"" + sender + "\",\"receiverAccountId\":\"" + receiver
                    + "\",\"invitationTimestamp\":1764720000,\"status\":\"" + status + "\"}";
        }
    }

    private final Map<String, Invitation> invitations = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<String> accessKeys = new ArrayList<>();
    private int throttle;
    private final HttpServer server;

    SimulatedRam() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized void invite(String arn, String senderAccountId, String receiverAccountId) {
        invitations.put(arn, new Invitation(arn, "LakeFormation-V3-" + senderAccountId, senderAccountId, receiverAccountId, "PENDING"));
    }

    synchronized String status(String arn) {
        return invitations.get(arn).status();
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The access key ids the calls were signed with. */
    synchronized List<String> accessKeys() {
        return List.copyOf(accessKeys);
    }

    /** The next {@code calls} calls answer ThrottlingException (HTTP 400), as RAM does under load. */
    synchronized void throttleNext(int calls) {
        throttle = calls;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(path);
        // RAM refuses what is not signed for it with SigV4; the signature itself is not verified here.
        Matcher credential = CREDENTIAL.matcher(exchange.getRequestHeaders().getFirst("Authorization") == null ? ""
                : exchange.getRequestHeaders().getFirst("Authorization"));
        if (!credential.find() || !credential.group(2).equals("us-east-1")) {
            respond(exchange, 403, "InvalidSignatureException", "{\"message\":\"not signed for ram in us-east-1\"}");
            return;
        }
        accessKeys.add(credential.group(1));
        if (throttle > 0) {
            throttle--;
            respond(exchange, 400, "ThrottlingException", "{\"message\":\"Rate exceeded\"}");
            return;
        }
        switch (path) {
            case "/getresourceshareinvitations" -> respond(exchange, 200, null, "{\"resourceShareInvitations\":["
                    + invitations.values().stream().map(Invitation::json).collect(Collectors.joining(",")) + "]}");
            case "/acceptresourceshareinvitation" -> {
                Matcher arn = ARN.matcher(body);
                Invitation invitation = arn.find() ? invitations.get(arn.group(1)) : null;
                if (invitation == null) {
                    respond(exchange, 400, "ResourceShareInvitationArnNotFoundException", "{\"message\":\"no such invitation\"}");
                } else if (!invitation.status().equals("PENDING")) {
                    respond(exchange, 400, "ResourceShareInvitationAlreadyAcceptedException", "{\"message\":\"already " + invitation.status() + "\"}");
                } else {
                    Invitation accepted = new Invitation(invitation.arn(), invitation.shareName(), invitation.sender(), invitation.receiver(), "ACCEPTED");
                    invitations.put(accepted.arn(), accepted);
                    respond(exchange, 200, null, "{\"resourceShareInvitation\":" + accepted.json() + "}");
                }
            }
            default -> respond(exchange, 404, "UnknownOperationException", "{\"message\":\"not simulated: " + path + "\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String errorType, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (errorType != null) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
