import Foundation

extension EvalReport {
    /// The reports as a table, one column per report (side by side when comparing):
    /// totals, latency, retries and validator failures per stage, accuracy per tag, then
    /// the cases that errored. A stage or tag a workflow lacks shows `-`.
    public static func table(_ reports: [EvalReport]) -> String {
        var rows: [[String]] = [["workflow"] + reports.map(\.workflow)]
        func row(_ label: String, _ value: (EvalReport) -> String) { rows.append([label] + reports.map(value)) }
        func section(_ title: String) { rows.append([title] + reports.map { _ in "" }) }
        row("cases") { "\($0.cases)" }
        row("passed") { "\($0.passed)" }
        row("accuracy") { percent($0.accuracy) }
        row("errors") { "\($0.errors.count)" }
        row("tokens") { "\($0.tokens)" }
        row("tokens per case") { String(format: "%.1f", $0.meanTokens) }
        row("latency mean") { time($0.meanLatency) }
        row("latency p95") { time($0.p95Latency) }
        if reports.contains(where: \.singleAttempt) { row("single attempt") { $0.singleAttempt ? "yes" : "no" } }
        let stageIDs = ordered(reports.flatMap(\.stageIDs))
        let tallies = reports.map { Dictionary($0.stages.map { ($0.id, $0.tally) }, uniquingKeysWith: { a, _ in a }) }
        section("retries")
        for id in stageIDs { rows.append(["  \(id)"] + tallies.map { $0[id].map { "\($0.retries)" } ?? "-" }) }
        section("validator failures")
        for id in stageIDs { rows.append(["  \(id)"] + tallies.map { $0[id].map { "\($0.validatorFailures)" } ?? "-" }) }
        let tagTallies = reports.map { Dictionary($0.tags.map { ($0.tag, $0.tally) }, uniquingKeysWith: { a, _ in a }) }
        let tags = tagTallies.flatMap(\.keys).reduce(into: Set<String>()) { $0.insert($1) }.sorted()
        if !tags.isEmpty {
            section("accuracy by tag")
            for tag in tags {
                rows.append(["  \(tag)"] + tagTallies.map { $0[tag].map { "\(percent($0.accuracy)) (\($0.passed)/\($0.cases))" } ?? "-" })
            }
        }
        var text = columns(rows)
        for report in reports where !report.errors.isEmpty {
            text += "\nerrors" + (reports.count > 1 ? " (\(report.workflow))" : "") + "\n"
            for result in report.errors {
                text += "  line \(result.line): \(result.error!.replacingOccurrences(of: "\n", with: "; "))\n"
            }
        }
        return text
    }

    /// Rows with each column padded to its widest cell (trailing spaces trimmed).
    private static func columns(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        return rows.map { cells in
            var line = ""
            for (column, cell) in cells.enumerated() {
                line += column == cells.count - 1 ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    /// Each distinct item once, in first-seen order.
    private static func ordered(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    /// `0.7` as "70.0%".
    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

    /// "4.2 ms" below a second, else "1.25 s".
    static func time(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return ms < 1000 ? String(format: "%.1f ms", ms) : String(format: "%.2f s", ms / 1000)
    }
}
