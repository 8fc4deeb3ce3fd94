package io.snaplake.lab.chaos;

import io.snaplake.lab.chaos.ChaosSnapshots.Export;
import io.snaplake.lab.chaos.ChaosSnapshots.Snapshot;
import io.snaplake.lab.chaos.TopicReader.Read;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The end-of-run check, from AWS (moto, read directly, not through the fault proxy) and from the topics,
 * never from the services' own word: each stage's events, the exports, the lake's files, the Glue
 * partitions, the Lake Formation grants, and each hostile input in its dead-letter place with a reason.
 */
final class ChaosCheck {

    /** The figures of the last line, and every problem found. */
    record Result(int snapshots, int shared, int lost, int duplicateExports, int hostileDeadLettered, int hostileTotal,
            List<String> problems) {

        boolean passed() {
            return shared == snapshots && lost == 0 && duplicateExports == 0 && hostileDeadLettered == hostileTotal
                    && problems.isEmpty();
        }

        String lastLine() {
            return String.format("chaos: %d snapshots, %d shared, %d lost, %d duplicate exports, %d/%d hostile inputs dead-lettered",
                    snapshots, shared, lost, duplicateExports, hostileDeadLettered, hostileTotal);
        }
    }

    private final ChaosStack stack;
    private final List<Snapshot> snapshots;
    private final List<Export> exports;
    private final HostileInputs hostile;
    private final String recipient;

    ChaosCheck(ChaosStack stack, List<Snapshot> snapshots, List<Export> exports, HostileInputs hostile, String recipient) {
        this.stack = stack;
        this.snapshots = snapshots;
        this.exports = exports;
        this.hostile = hostile;
        this.recipient = recipient;
    }

    /** Checks, printing one line per check; {@code events} from the event topics, {@code deadLetters} from the dead-letter topics. */
    Result run(List<Read> events, List<Read> deadLetters, PrintStream out) {
        Findings findings = new Findings(out);
        Set<String> arns = new LinkedHashSet<>();
        snapshots.forEach(s -> arns.add(s.arn()));
        JourneyEvents journey = new JourneyEvents(events, arns);
        journey.checkOncePerStage(findings);
        journey.checkAnnounced(findings);
        int duplicates = ExportCheck.duplicates(stack.aws().rds, stack.awsProxy(), arns, findings);
        LakeCheck lake = new LakeCheck(exports);
        lake.checkFiles(stack.aws().s3, findings);
        lake.checkPartitions(stack.aws().glue, findings);
        int shared = journey.checkCataloguedAndShared(findings);
        journey.checkOutsiderIgnored(findings);
        LakeFormationCheck.check(stack.lakeFormation(), recipient, lake.clusters(), findings);
        List<Message> sqsDeadLetters = DeadLetterCheck.drain(stack.aws().sqs, stack.aws().deadLetterQueueUrl(ChaosSnapshots.RESOURCES.queue()));
        int deadLettered = new DeadLetterCheck(hostile, deadLetters, sqsDeadLetters).check(findings);
        return new Result(arns.size(), shared, arns.size() - shared, duplicates, deadLettered, hostile.injected().size(),
                findings.problems());
    }
}
