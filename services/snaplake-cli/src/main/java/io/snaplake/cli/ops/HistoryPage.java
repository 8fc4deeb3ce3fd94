package io.snaplake.cli.ops;

import io.snaplake.cli.ops.DayHistory.ClusterDay;
import io.snaplake.cli.ops.DayHistory.FailureView;
import io.snaplake.cli.ops.DayHistory.StageRun;
import io.snaplake.cli.ops.DayHistory.Status;
import java.time.Instant;
import java.util.Locale;

/**
 * The day's history as one self-contained HTML page (no external file, font or script): a timeline per
 * cluster across the stages, then each stage's figures, and the failures in red with their cause and the
 * exact replay command.
 */
public final class HistoryPage {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
            h1{font-size:20px;margin:0 0 4px} .sub{color:#5b6475;margin-bottom:16px}
            .tools{margin:12px 0 20px} .tools input{padding:4px 8px;margin-right:12px}
            section.cluster{background:#fff;border:1px solid #d9dde5;border-radius:6px;padding:12px 16px;margin-bottom:16px}
            section.cluster.failed{border-color:#d1242f}
            h2{font-size:16px;margin:0 0 8px} .state{font-weight:normal;color:#5b6475;margin-left:8px}
            .failed .state{color:#d1242f;font-weight:bold}
            .timeline{display:grid;grid-template-columns:140px 1fr;gap:3px 10px;margin:8px 0 12px;align-items:center}
            .track{position:relative;height:16px;background:#eef1f5;border-radius:3px}
            .bar{position:absolute;top:2px;height:12px;border-radius:2px;min-width:3px}
            .bar.DONE{background:#2da44e} .bar.RUNNING{background:#bf8700} .bar.FAILED{background:#d1242f}
            .mark{position:absolute;top:0;width:4px;height:16px;background:#d1242f}
            .mark.replay{background:#0969da}
            .axis{display:flex;justify-content:space-between;color:#5b6475;font-size:12px}
            table{border-collapse:collapse;width:100%;font-size:13px} th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eef1f5}
            td.FAILED{color:#d1242f;font-weight:bold} td.NOT_REACHED{color:#8c95a6}
            .failure{border-left:4px solid #d1242f;background:#fff0f0;color:#82071e;padding:8px 12px;margin-top:10px}
            .failure code{display:block;background:#fff;color:#1d2330;padding:4px 8px;margin-top:6px;border:1px solid #f0c0c0}
            .failure button{margin-top:6px} .hidden{display:none}
            """;

    private static final String SCRIPT = """
            (function () {
              var filter = document.getElementById('filter');
              var onlyFailed = document.getElementById('only-failed');
              function apply() {
                var text = filter.value.trim().toLowerCase();
                document.querySelectorAll('section.cluster').forEach(function (section) {
                  var show = section.dataset.cluster.toLowerCase().indexOf(text) >= 0
                      && (!onlyFailed.checked || section.classList.contains('failed'));
                  section.classList.toggle('hidden', !show);
                });
              }
              filter.addEventListener('input', apply);
              onlyFailed.addEventListener('change', apply);
              document.querySelectorAll('button.copy').forEach(function (button) {
                button.addEventListener('click', function () {
                  var command = button.previousElementSibling.textContent;
                  if (navigator.clipboard) {
                    navigator.clipboard.writeText(command).then(function () { button.textContent = 'copied'; },
                        function () { button.textContent = 'select and copy the line above'; });
                  }
                });
              });
              document.body.dataset.ready = 'true';
            })();
            """;

    private HistoryPage() {
    }

    public static String render(DayHistory history, Instant generatedAt) {
        Instant from = null;
        Instant to = null;
        for (ClusterDay cluster : history.clusters()) {
            for (StageRun run : cluster.stages()) {
                for (Instant instant : new Instant[] {run.start(), run.end()}) {
                    if (instant != null) {
                        from = from == null || instant.isBefore(from) ? instant : from;
                        to = to == null || instant.isAfter(to) ? instant : to;
                    }
                }
            }
        }
        long failedClusters = history.clusters().stream().filter(c -> !c.failures().isEmpty()
                && c.stuckAt().map(s -> s.status() == Status.FAILED).orElse(false)).count();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>snaplake history ").append(history.day()).append("</title>")
                .append("<style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>snaplake: snapshot day ").append(history.day()).append("</h1>\n")
                .append("<div class=\"sub\">").append(history.clusters().size()).append(" clusters, ")
                .append(failedClusters).append(" failed; read from the topics at ").append(esc(HistoryTable.time(generatedAt)))
                .append(" UTC").append(from == null ? "" : "; timeline " + HistoryTable.time(from) + " to " + HistoryTable.time(to))
                .append("</div>\n")
                .append("<div class=\"tools\"><input id=\"filter\" placeholder=\"cluster\" aria-label=\"filter clusters\">")
                .append("<label><input type=\"checkbox\" id=\"only-failed\"> only failed</label></div>\n");
        if (history.isEmpty()) {
            html.append("<p>No events about this snapshot day in the topics.</p>\n");
        }
        for (ClusterDay cluster : history.clusters()) {
            cluster(html, history, cluster, from, to);
        }
        html.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static void cluster(StringBuilder html, DayHistory history, ClusterDay cluster, Instant from, Instant to) {
        boolean failed = cluster.stuckAt().map(stage -> stage.status() == Status.FAILED).orElse(false);
        String state = cluster.stuckAt().map(stage -> switch (stage.status()) {
            case FAILED -> "failed at " + stage.stage().serviceName();
            case RUNNING -> "waiting at " + stage.stage().serviceName();
            default -> "stopped before " + stage.stage().serviceName();
        }).orElse("done");
        html.append("<section class=\"cluster").append(failed ? " failed" : "").append("\" data-cluster=\"").append(esc(cluster.cluster()))
                .append("\"><h2>").append(esc(cluster.cluster())).append(" <span class=\"state\">").append(esc(state))
                .append("</span></h2>\n<div class=\"sub\">").append(esc(cluster.snapshot().getSnapshotId())).append(" &middot; ")
                .append(esc(cluster.snapshot().getSnapshotArn())).append("</div>\n<div class=\"timeline\">\n");
        for (StageRun run : cluster.stages()) {
            html.append("<div>").append(run.stage().serviceName()).append("</div><div class=\"track\">");
            if (run.start() != null && from != null) {
                double left = percent(from, to, run.start());
                double right = percent(from, to, run.end() == null ? to : run.end());
                html.append(String.format(Locale.ROOT, "<div class=\"bar %s\" style=\"left:%.2f%%;width:%.2f%%\" title=\"%s\"></div>",
                        run.status(), left, Math.max(0, right - left), esc(run.stage().serviceName() + " " + run.status())));
            }
            for (FailureView failure : run.failures()) {
                html.append(String.format(Locale.ROOT, "<div class=\"mark\" style=\"left:%.2f%%\" title=\"%s\"></div>",
                        percent(from, to, failure.at()), esc(failure.reason())));
            }
            for (Instant replay : run.replays()) {
                html.append(String.format(Locale.ROOT, "<div class=\"mark replay\" style=\"left:%.2f%%\" title=\"replay\"></div>",
                        percent(from, to, replay)));
            }
            html.append("</div>\n");
        }
        html.append("<div></div><div class=\"axis\"><span>").append(from == null ? "" : HistoryTable.time(from))
                .append("</span><span>").append(to == null ? "" : HistoryTable.time(to)).append("</span></div>\n</div>\n");
        html.append("<table><tr><th>stage</th><th>status</th><th>start (UTC)</th><th>end (UTC)</th><th>duration</th><th>size</th><th>replays</th></tr>\n");
        for (StageRun run : cluster.stages()) {
            html.append("<tr><td>").append(run.stage().serviceName()).append("</td><td class=\"").append(run.status()).append("\">")
                    .append(run.status() == Status.RUNNING ? "pending" : run.status().toString().toLowerCase().replace('_', ' ')).append("</td><td>").append(HistoryTable.time(run.start()))
                    .append("</td><td>").append(HistoryTable.time(run.end())).append("</td><td>")
                    .append(run.duration().map(HistoryTable::duration).orElse("")).append("</td><td>").append(esc(run.size()))
                    .append("</td><td>").append(run.replays().isEmpty() ? "" : run.replays().size()).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (FailureView failure : cluster.failures()) {
            html.append("<div class=\"failure\"><strong>").append(failure.stage().serviceName()).append(" failed at ")
                    .append(HistoryTable.time(failure.at())).append(" UTC").append(failure.duringReplay() ? " (during a replay)" : "")
                    .append(": ").append(esc(failure.reason())).append("</strong><br>").append(esc(failure.message()))
                    .append(esc(HistoryTable.details(failure.details())))
                    .append("<code>").append(esc(failure.replayCommand())).append("</code><button class=\"copy\" type=\"button\">copy</button></div>\n");
        }
        html.append("</section>\n");
    }

    private static double percent(Instant from, Instant to, Instant at) {
        if (from == null || at == null) {
            return 0;
        }
        long span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        return Math.min(100, Math.max(0, 100.0 * (at.toEpochMilli() - from.toEpochMilli()) / span));
    }

    static String esc(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
