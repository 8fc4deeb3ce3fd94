package io.snaplake.cli;

import io.snaplake.sharing.aws.AwsRetry;
import io.snaplake.sharing.aws.GlueCatalog;
import io.snaplake.sharing.aws.LakeClients;
import io.snaplake.sharing.aws.SdkLakeFormation;
import io.snaplake.sharing.domain.InvalidPolicyException;
import io.snaplake.sharing.domain.PolicyLoader;
import io.snaplake.sharing.domain.SensitiveColumns;
import io.snaplake.sharing.domain.SharingPolicy;
import io.snaplake.sharing.domain.AccessCheck;
import io.snaplake.sharing.domain.AccessReport;
import io.snaplake.sharing.domain.ApplyResult;
import io.snaplake.sharing.domain.Plan;
import io.snaplake.sharing.domain.PlanPrinter;
import io.snaplake.sharing.domain.Sharer;
import io.snaplake.pipeline.AwsSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;

/**
 * {@code snaplake share plan|apply|check}: the lf-sharer's own plan, apply and check, run by hand. Exit codes:
 * 0 done (plan: nothing wrong), 1 Lake Formation refused part of the apply or a sensitive column is readable,
 * 2 the policy has problems (nothing applied).
 */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Plan, apply and check the Lake Formation sharing policy.",
        subcommands = {ShareCommand.PlanCommand.class, ShareCommand.ApplyCommand.class, ShareCommand.CheckCommand.class})
public final class ShareCommand {

    static final int REFUSED_OR_EXPOSED = 1;
    static final int INVALID_POLICY = 2;

    /** Where the AWS clients point: {@link AwsOptions}, the catalogue's account, and Lake Formation's own endpoint. */
    static final class Aws extends AwsOptions {
        @Option(names = "--account-id", defaultValue = "${env:SNAPLAKE_AWS_ACCOUNTID}",
                description = "The catalogue's AWS account (env SNAPLAKE_AWS_ACCOUNTID); required, never guessed.")
        String accountId;

        @Option(names = "--lake-formation-endpoint", defaultValue = "${env:SNAPLAKE_SHARER_LAKEFORMATIONENDPOINT:-}",
                description = "Endpoint override for Lake Formation alone (env SNAPLAKE_SHARER_LAKEFORMATIONENDPOINT).")
        String lakeFormationEndpoint;

        AwsSettings settings() {
            return new AwsSettings(region(), accountId, endpoint());
        }

        URI lakeFormationEndpoint() {
            return lakeFormationEndpoint == null || lakeFormationEndpoint.isBlank() ? null : URI.create(lakeFormationEndpoint);
        }
    }

    /** The sharer's clients for one command. */
    static final class Clients implements AutoCloseable {
        private static final AwsRetry RETRY = new AwsRetry(10, Duration.ofMillis(200), Duration.ofSeconds(30));
        final GlueClient glue;
        final LakeFormationClient lakeFormation;
        final AwsSettings settings;

        Clients(Aws aws) {
            settings = aws.settings();
            glue = LakeClients.glue(settings);
            lakeFormation = LakeClients.lakeFormation(settings, aws.lakeFormationEndpoint());
        }

        Sharer sharer(SharingPolicy policy) {
            return new Sharer(policy, new GlueCatalog(glue, RETRY), new SdkLakeFormation(lakeFormation, RETRY, settings.accountId()),
                    settings.accountId());
        }

        AccessCheck check(SensitiveColumns sensitive) {
            return new AccessCheck(new GlueCatalog(glue, RETRY), new SdkLakeFormation(lakeFormation, RETRY, settings.accountId()), sensitive);
        }

        @Override
        public void close() {
            glue.close();
            lakeFormation.close();
        }
    }

    /** A share subcommand: its AWS clients and output; a policy that does not load ends it with {@link #INVALID_POLICY}. */
    abstract static class ShareSubcommand implements Callable<Integer> {
        @Mixin
        Aws aws = new Aws();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (aws.accountId == null || aws.accountId.isBlank()) {
                throw new ParameterException(spec.commandLine(),
                        "No AWS account given: pass --account-id (the catalogue's 12-digit account) or set SNAPLAKE_AWS_ACCOUNTID.");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Clients clients = new Clients(aws)) {
                return run(clients, out, err);
            } catch (InvalidPolicyException e) {
                err.println(e.getMessage());
                return INVALID_POLICY;
            }
        }

        abstract int run(Clients clients, PrintWriter out, PrintWriter err);
    }

    /** Plan, then what the subcommand does with a plan that matches the catalogue. */
    abstract static class PolicyCommand extends ShareSubcommand {
        @Option(names = "--policy", paramLabel = "FILE", required = true, description = "The sharing policy (YAML).")
        Path policyFile;

        @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only this cluster of the policy (default: every cluster).")
        List<String> clusters = List.of();

        @Override
        int run(Clients clients, PrintWriter out, PrintWriter err) {
            Sharer sharer = clients.sharer(PolicyLoader.load(policyFile));
            Plan plan = sharer.plan(clusters, Map.of());
            out.print(PlanPrinter.print(plan));
            if (!plan.problems().isEmpty()) {
                err.println("The policy does not match the catalogue: correct it (nothing applied).");
                return INVALID_POLICY;
            }
            return afterPlan(sharer, plan, out, err);
        }

        abstract int afterPlan(Sharer sharer, Plan plan, PrintWriter out, PrintWriter err);
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Print what applying the policy would change (changes nothing).")
    static final class PlanCommand extends PolicyCommand {
        @Override
        int afterPlan(Sharer sharer, Plan plan, PrintWriter out, PrintWriter err) {
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Apply the policy: converge Lake Formation to it.")
    static final class ApplyCommand extends PolicyCommand {
        @Override
        int afterPlan(Sharer sharer, Plan plan, PrintWriter out, PrintWriter err) {
            ApplyResult result = sharer.apply(plan);
            if (!result.complete()) {
                err.println("Lake Formation refused " + result.failures().size() + " change(s) (the rest is applied; apply again to retry):");
                result.failures().forEach(failure -> err.println("  " + failure));
                return REFUSED_OR_EXPOSED;
            }
            out.println("Applied " + plan.changes().size() + " change(s).");
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "From Lake Formation's actual state, list every table and column ACCOUNT can read; exit 1 if any sensitive column is readable.")
    static final class CheckCommand extends ShareSubcommand {
        @Option(names = "--account", paramLabel = "ID", required = true, description = "The recipient account (12 digits).")
        String account;

        @Option(names = "--policy", paramLabel = "FILE", description = "Take the sensitive column patterns from this policy.")
        Path policyFile;

        @Option(names = "--sensitive", paramLabel = "PATTERN", split = ",",
                description = "Sensitive column-name patterns (default: the policy's, or *email*,*phone*,password*,*token*,*secret*,*ssn*).")
        List<String> sensitive;

        @Override
        int run(Clients clients, PrintWriter out, PrintWriter err) {
            if (!account.matches("\\d{12}")) {
                err.println("--account must be a 12-digit AWS account id, got " + account);
                return INVALID_POLICY;
            }
            SensitiveColumns patterns = sensitive != null ? new SensitiveColumns(sensitive)
                    : policyFile != null ? PolicyLoader.load(policyFile).sensitive()
                    : new SensitiveColumns(List.of("*email*", "*phone*", "password*", "*token*", "*secret*", "*ssn*"));
            AccessReport report = clients.check(patterns).check(account);
            out.print(report.print());
            return report.sensitiveReadable() ? REFUSED_OR_EXPOSED : 0;
        }
    }
}
