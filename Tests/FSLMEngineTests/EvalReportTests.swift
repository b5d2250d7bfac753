import FSLMEngine
import Foundation
import Testing

/// What an evaluation's results add up to, as numbers, JSON and a table.
@Suite struct EvalReportTests {
    private func result(_ line: Int, passed: Bool, latencyMs: Int = 10, tokens: Int = 0, tags: [String] = [], error: String? = nil,
                        stages: [String: StageTally] = [:]) -> EvalCaseResult {
        EvalCaseResult(line: line, passed: passed, outputs: ["answer": "x"], expect: ["answer": "x"], metric: .exact, tags: tags,
                       error: error, latency: .milliseconds(latencyMs), attempts: 1, tokens: tokens, stages: stages)
    }

    @Test func totals() {
        let report = EvalReport(workflow: "w.yaml", stages: ["solve", "answer"], results: [
            result(1, passed: true, latencyMs: 10, tokens: 12, stages: ["solve": StageTally(retries: 1, validatorFailures: 2)]),
            result(2, passed: false, latencyMs: 30, tokens: 8, error: "backend down"),
            result(3, passed: true, latencyMs: 20, tokens: 10, stages: ["solve": StageTally(retries: 1, validatorFailures: 1),
                                                                        "answer": StageTally(validatorFailures: 1)]),
            result(4, passed: false, latencyMs: 40, tokens: 0),
        ])
        #expect(report.cases == 4)
        #expect(report.passed == 2)
        #expect(report.accuracy == 0.5)
        #expect(report.errors.map(\.line) == [2])
        #expect(report.tokens == 30)
        #expect(report.meanTokens == 7.5)
        #expect(report.meanLatency == .milliseconds(25))
        #expect(report.p95Latency == .milliseconds(40))
        #expect(report.stages.map(\.id) == ["solve", "answer"])
        #expect(report.stages.map(\.tally) == [StageTally(retries: 2, validatorFailures: 3), StageTally(validatorFailures: 1)])
    }

    /// Nearest rank: the smallest latency at least 95% of cases do not exceed.
    @Test(arguments: [(1, 1), (10, 10), (19, 19), (20, 19), (21, 20), (100, 95)])
    func p95ByNearestRank(_ count: Int, _ expectedMs: Int) {
        // Latencies 1...count ms, shuffled: the order of results must not matter.
        let results = (1...count).reversed().map { result($0, passed: true, latencyMs: $0) }
        #expect(EvalReport(workflow: "w", stages: [], results: results).p95Latency == .milliseconds(expectedMs))
    }

    @Test func emptyReportIsZeros() {
        let report = EvalReport(workflow: "w", stages: ["a"], results: [])
        #expect(report.accuracy == 0)
        #expect(report.meanLatency == .zero && report.p95Latency == .zero && report.meanTokens == 0)
    }

    @Test func accuracyPerTag() {
        let report = EvalReport(workflow: "w", stages: [], results: [
            result(1, passed: true, tags: ["arithmetic"]),
            result(2, passed: false, tags: ["arithmetic", "held-out", "held-out"]),  // a repeated tag counts once
            result(3, passed: true, tags: ["held-out"]),
            result(4, passed: true),
        ])
        let tags = report.tags
        #expect(tags.map(\.tag) == ["arithmetic", "held-out"])
        #expect(tags.map(\.tally.cases) == [2, 2])
        #expect(tags.map(\.tally.passed) == [1, 1])
        #expect(tags.map(\.tally.accuracy) == [0.5, 0.5])
    }

    @Test func jsonHasTheTotalsAndOneResultPerCase() throws {
        let report = EvalReport(workflow: "w.yaml", stages: ["solve"], results: [
            result(1, passed: true, tokens: 5, tags: ["t"], stages: ["solve": StageTally(retries: 1, validatorFailures: 1)]),
            result(3, passed: false, error: "missing input 'question'"),
        ], singleAttempt: true)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["workflow"] as? String == "w.yaml")
        #expect(object["single_attempt"] as? Bool == true)
        #expect(object["cases"] as? Int == 2 && object["passed"] as? Int == 1 && object["errors"] as? Int == 1)
        #expect(object["accuracy"] as? Double == 0.5)
        #expect(object["tokens"] as? Int == 5)
        #expect((object["latency_ms"] as? [String: Double]).map { $0.keys.sorted() } == ["mean", "p95"])
        #expect(object["stages"] as? [String: [String: Int]] == ["solve": ["retries": 1, "validator_failures": 1]])
        let tag = try #require((object["tags"] as? [String: [String: Any]])?["t"])
        #expect(tag["cases"] as? Int == 1 && tag["passed"] as? Int == 1 && tag["accuracy"] as? Double == 1)
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.map { $0["line"] as? Int } == [1, 3])
        #expect(Set(results[0].keys) == ["line", "passed", "outputs", "expect", "metric", "tags", "error", "latency_ms", "attempts", "tokens"])
        #expect(results[0]["error"] is NSNull)
        #expect(results[1]["error"] as? String == "missing input 'question'")
        #expect(results[1]["metric"] as? String == "exact")
    }

    @Test func tableShowsTotalsStagesTagsAndErrors() {
        let report = EvalReport(workflow: "w.yaml", stages: ["solve", "answer"], results: [
            result(1, passed: true, latencyMs: 4, tokens: 12, tags: ["arithmetic"], stages: ["solve": StageTally(retries: 1, validatorFailures: 2)]),
            result(2, passed: false, latencyMs: 6, tokens: 8, error: "stage 'solve' failed\nafter 2 attempts"),
        ])
        #expect(EvalReport.table([report]) == """
            workflow            w.yaml
            cases               2
            passed              1
            accuracy            50.0%
            errors              1
            tokens              20
            tokens per case     10.0
            latency mean        5.0 ms
            latency p95         6.0 ms
            retries
              solve             1
              answer            0
            validator failures
              solve             2
              answer            0
            accuracy by tag
              arithmetic        100.0% (1/1)

            errors
              line 2: stage 'solve' failed; after 2 attempts

            """)
    }

    @Test func comparisonPutsReportsSideBySide() {
        let a = EvalReport(workflow: "stack.yaml", stages: ["solve", "answer"], results: [result(1, passed: true, latencyMs: 1500)])
        let b = EvalReport(workflow: "direct.yaml", stages: ["answer"], results: [result(1, passed: false, tags: ["t"], error: "boom")],
                           singleAttempt: true)
        #expect(EvalReport.table([a, b]) == """
            workflow            stack.yaml  direct.yaml
            cases               1           1
            passed              1           0
            accuracy            100.0%      0.0%
            errors              0           1
            tokens              0           0
            tokens per case     0.0         0.0
            latency mean        1.50 s      10.0 ms
            latency p95         1.50 s      10.0 ms
            single attempt      no          yes
            retries
              solve             0           -
              answer            0           0
            validator failures
              solve             0           -
              answer            0           0
            accuracy by tag
              t                 -           0.0% (0/1)

            errors (direct.yaml)
              line 1: boom

            """)
    }
}
