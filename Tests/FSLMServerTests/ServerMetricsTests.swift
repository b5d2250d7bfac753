@testable import FSLMServer
import Hummingbird
import Testing

/// The Prometheus text: cumulative buckets, escaped labels, and the bearer check it sits beside.
@Suite struct ServerMetricsTests {
    @Test func histogramsAreCumulativeWithSumAndCount() {
        var histogram = Histogram(bounds: [0.1, 1])
        for value in [0.05, 0.5, 0.7, 3] { histogram.observe(value) }
        #expect(histogram.lines("h", labels: #"a="b""#) == [
            #"h_bucket{a="b",le="0.1"} 1"#, #"h_bucket{a="b",le="1"} 3"#, #"h_bucket{a="b",le="+Inf"} 4"#,
            #"h_sum{a="b"} 4.25"#, #"h_count{a="b"} 4"#,
        ])
    }

    @Test func labelValuesAreEscaped() {
        #expect(ServerMetrics.render(["w", "s"], ["a\"b", "c\\d\ne"]) == #"w="a\"b",s="c\\d\ne""#)
    }

    @Test func runsAreCountedByWorkflowAndStatus() {
        let metrics = ServerMetrics()
        metrics.runFinished(workflow: "w", status: "succeeded", seconds: 0.2)
        metrics.runFinished(workflow: "w", status: "failed", seconds: 2)
        metrics.validatorFailed(workflow: "w", stage: "s", validator: "json")
        let text = metrics.render()
        #expect(text.contains(#"fslm_runs_total{workflow="w",status="failed"} 1"#))
        #expect(text.contains(#"fslm_runs_total{workflow="w",status="succeeded"} 1"#))
        #expect(text.contains(#"fslm_validator_failures_total{workflow="w",stage="s",validator="json"} 1"#))
        #expect(text.contains(#"fslm_run_duration_seconds_bucket{workflow="w",le="0.25"} 1"#))
        #expect(text.hasSuffix("\n"))
    }

    @Test func bearerKeysCompareWhole() {
        let auth = BearerAuthMiddleware<BasicRequestContext>(key: "abc")
        #expect(auth.accepts("Bearer abc"))
        for header in ["Bearer ab", "Bearer abcd", "bearer abc", "abc", "Bearer  abc", ""] { #expect(!auth.accepts(header), "\(header)") }
        #expect(!auth.accepts(nil))
    }
}
