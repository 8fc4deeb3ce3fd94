package io.snaplake.testkit;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real KRaft broker in this JVM whose only client listener is SASL_PLAINTEXT with SCRAM-SHA-512, as
 * production brokers use SASL/SCRAM (there over TLS): a client without valid credentials cannot read, write or
 * even fetch metadata. The users (the broker's own inter-broker user and {@value #CLIENT_USER}) are written
 * into the storage at format time. The controller listener is PLAINTEXT on loopback: it serves no produce or
 * fetch, and clients are never given its address.
 */
public final class SecuredLocalKafka implements AutoCloseable {

    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The user the services and the CLI connect as. */
    public static final String CLIENT_USER = "snaplake";

    private static final String BROKER_USER = "broker";
    private static final int ITERATIONS = 8192;

    private final KafkaClusterTestKit cluster;
    private final String clientPassword;
    private final Admin admin;

    private SecuredLocalKafka(KafkaClusterTestKit cluster, String clientPassword) {
        this.cluster = cluster;
        this.clientPassword = clientPassword;
        Map<String, Object> adminConfig = new LinkedHashMap<>(clientProperties());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        this.admin = Admin.create(adminConfig);
    }

    public static SecuredLocalKafka start() {
        String brokerPassword = UUID.randomUUID().toString();
        String clientPassword = UUID.randomUUID().toString();
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder(
                    withScramUsers(Map.of(BROKER_USER, brokerPassword, CLIENT_USER, clientPassword)))
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .build();
            String listener = nodes.brokerListenerName().value().toLowerCase();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            LocalKafka.BROKER_PROPERTIES.forEach(builder::setConfigProp);
            // The test kit installs an ACL authorizer with SASL; authentication is what is proven here, and
            // production ACLs are the Kafka operator's (README, Deploying). No authorizer: every user is allowed.
            builder.setConfigProp("authorizer.class.name", "")
                    .setConfigProp("sasl.enabled.mechanisms", MECHANISM)
                    .setConfigProp("sasl.mechanism.inter.broker.protocol", MECHANISM)
                    .setConfigProp("listener.name." + listener + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                            jaas(BROKER_USER, brokerPassword));
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new SecuredLocalKafka(cluster, clientPassword);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LocalInfraException("Could not start a KRaft Kafka broker with SASL/SCRAM", e);
        }
    }

    /**
     * The format step's metadata with the users' SCRAM credentials in it, as {@code kafka-storage format
     * --add-scram} writes them: the broker's SCRAM listener can admit nobody before some user exists.
     */
    private static BootstrapMetadata withScramUsers(Map<String, String> passwords) throws GeneralSecurityException {
        BootstrapMetadata base = BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(), "snaplake-scram");
        List<ApiMessageAndVersion> records = new ArrayList<>(base.records());
        ScramFormatter formatter = new ScramFormatter(org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512);
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            ScramCredential credential = formatter.generateCredential(user.getValue(), ITERATIONS);
            records.add(new ApiMessageAndVersion(new UserScramCredentialRecord()
                    .setName(user.getKey())
                    .setMechanism(ScramMechanism.SCRAM_SHA_512.type())
                    .setSalt(credential.salt())
                    .setStoredKey(credential.storedKey())
                    .setServerKey(credential.serverKey())
                    .setIterations(credential.iterations()), (short) 0));
        }
        return BootstrapMetadata.fromRecords(records, "snaplake-scram");
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The SASL listener's host:port, the only address clients get. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** What a client needs besides the brokers: security protocol, mechanism and {@value #CLIENT_USER}'s login. */
    public Map<String, String> clientProperties() {
        return clientProperties(CLIENT_USER, clientPassword);
    }

    /** The same settings with another user's login (a wrong password, for tests that expect a refusal). */
    public static Map<String, String> clientProperties(String user, String password) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        properties.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        return properties;
    }

    /** Creates each topic with {@value LocalKafka#PARTITIONS} partitions, as {@link LocalKafka#createTopics} does. */
    public void createTopics(String... names) {
        List<NewTopic> topics = Arrays.stream(names).distinct()
                .map(name -> new NewTopic(name, LocalKafka.PARTITIONS, (short) 1))
                .toList();
        try {
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            throw new LocalInfraException("Could not create topics " + Arrays.toString(names), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalInfraException("Interrupted while creating topics", e);
        }
    }

    /** An authenticated admin client on this broker. */
    public Admin admin() {
        return admin;
    }

    @Override
    public void close() throws Exception {
        admin.close();
        cluster.close();
    }
}
