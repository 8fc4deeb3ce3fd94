package io.snaplake.lfsharer.domain;

import io.snaplake.sharing.domain.AccessReport;
import io.snaplake.sharing.domain.ApplyResult;
import io.snaplake.sharing.domain.Plan;
import io.snaplake.sharing.domain.PlanPrinter;
import io.snaplake.sharing.domain.Recipient;
import io.snaplake.sharing.domain.Sharer;
import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the service does for one catalogued day: apply the policy for the day's cluster (the day's added
 * columns held back in tables shared whole), then check what each recipient account can read.
 */
public final class DayShare {

    private static final Logger log = LoggerFactory.getLogger(DayShare.class);

    private final Sharer sharer;
    private final Optional<Analytics> analytics;

    public DayShare(Sharer sharer) {
        this(sharer, Optional.empty());
    }

    /** @param analytics the recipient account whose side the sharer completes itself, when a role there is configured */
    public DayShare(Sharer sharer, Optional<Analytics> analytics) {
        this.sharer = sharer;
        this.analytics = analytics;
    }

    /** A recipient account in which the sharer accepts the share and links the tables ({@link AnalyticsSide}). */
    public record Analytics(String accountId, AnalyticsSide side) {
    }

    /**
     * @param cluster      the policy's entry for the day's cluster; empty when the policy does not name it
     *                     (then nothing is changed and every table stays private)
     * @param columnsAdded per Glue table, the columns new with this day
     */
    public Result share(Optional<ClusterPolicy> cluster, Map<String, Set<String>> columnsAdded) {
        if (cluster.isEmpty()) {
            return new Result(Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        }
        Plan plan = sharer.plan(List.of(cluster.get().cluster()), columnsAdded);
        ApplyResult applied = sharer.apply(plan);
        // The plan as `snaplake share plan` prints it: what the service changed in Lake Formation, for the operator.
        log.info("{}{} ({} refused):\n{}", PlanPrinter.APPLIED_PLAN, cluster.get().cluster(), applied.failures().size(), PlanPrinter.print(plan));
        List<AccessReport> checks = cluster.get().recipients().stream().map(Recipient::accountId).distinct().map(sharer::check).toList();
        Optional<AnalyticsSide.Result> linked = analytics
                .filter(account -> cluster.get().recipients().stream().anyMatch(recipient -> recipient.accountId().equals(account.accountId())))
                .map(account -> account.side().connect(cluster.get().glueDatabase(), plan.outcomes()));
        linked.ifPresent(result -> log.info("Analytics account {}: invitations accepted {}, resource links created {}, already linked {}",
                analytics.get().accountId(), result.invitationsAccepted(), result.linksCreated(), result.linksPresent()));
        return new Result(cluster, Optional.of(applied), checks, linked);
    }

    /**
     * @param cluster the policy's entry, empty when the cluster is not in the policy
     * @param applied the plan and what applying it did, empty when nothing was planned
     * @param checks  per recipient account, what it can read now
     * @param linked  what was done in the analytics account (invitations accepted, resource links created), when configured
     */
    public record Result(Optional<ClusterPolicy> cluster, Optional<ApplyResult> applied, List<AccessReport> checks,
            Optional<AnalyticsSide.Result> linked) {
    }
}
