import Foundation
import Synchronization

/// What `GET /metrics` reports, in Prometheus' text format: workflow runs, stage attempts,
/// validator failures, tokens, HTTP requests, and latency histograms. Safe to update from
/// any task.
public final class ServerMetrics: Sendable {
    /// A metric's label values, in the order of its label names.
    typealias Labels = [String]

    private struct State {
        var runs: [Labels: Int] = [:]
        var attempts: [Labels: Int] = [:]
        var validatorFailures: [Labels: Int] = [:]
        var tokens: [Labels: Int] = [:]
        var requests: [Labels: Int] = [:]
        var runDuration: [Labels: Histogram] = [:]
        var requestDuration: [Labels: Histogram] = [:]
    }

    private let state = Mutex(State())
    private let inProgress = Atomic<Int>(0)

    public init() {}

    /// Takes a place among the requests in progress, unless `limit` are taken.
    func enter(limit: Int) -> Bool {
        if inProgress.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue <= limit { return true }
        inProgress.wrappingSubtract(1, ordering: .acquiringAndReleasing)
        return false
    }

    /// Gives back a place `enter` took.
    func leave() { inProgress.wrappingSubtract(1, ordering: .acquiringAndReleasing) }

    func runFinished(workflow: String, status: String, seconds: Double) {
        state.withLock {
            $0.runs[[workflow, status], default: 0] += 1
            $0.runDuration[[workflow], default: Histogram()].observe(seconds)
        }
    }

    func attemptStarted(workflow: String, stage: String) {
        state.withLock { $0.attempts[[workflow, stage], default: 0] += 1 }
    }

    func validatorFailed(workflow: String, stage: String, validator: String) {
        state.withLock { $0.validatorFailures[[workflow, stage, validator], default: 0] += 1 }
    }

    func tokens(model: String, prompt: Int, completion: Int) {
        state.withLock {
            $0.tokens[[model, "prompt"], default: 0] += prompt
            $0.tokens[[model, "completion"], default: 0] += completion
        }
    }

    func requestFinished(route: String, status: Int, seconds: Double) {
        state.withLock {
            $0.requests[[route, String(status)], default: 0] += 1
            $0.requestDuration[[route], default: Histogram()].observe(seconds)
        }
    }

    /// The exposition text.
    public func render() -> String {
        let s = state.withLock { $0 }
        var out: [String] = []
        func counter(_ name: String, _ help: String, _ labels: [String], _ values: [Labels: Int]) {
            out += ["# HELP \(name) \(help)", "# TYPE \(name) counter"]
            for (key, value) in values.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                out.append("\(name){\(Self.render(labels, key))} \(value)")
            }
        }
        func histogram(_ name: String, _ help: String, _ labels: [String], _ values: [Labels: Histogram]) {
            out += ["# HELP \(name) \(help)", "# TYPE \(name) histogram"]
            for (key, value) in values.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                out += value.lines(name, labels: Self.render(labels, key))
            }
        }
        counter("fslm_runs_total", "Workflow runs finished.", ["workflow", "status"], s.runs)
        counter("fslm_stage_attempts_total", "Stage attempts started.", ["workflow", "stage"], s.attempts)
        counter("fslm_validator_failures_total", "Validator failures of attempts.", ["workflow", "stage", "validator"], s.validatorFailures)
        counter("fslm_tokens_total", "Tokens read (prompt) and generated (completion).", ["model", "kind"], s.tokens)
        counter("fslm_http_requests_total", "HTTP requests answered.", ["route", "status"], s.requests)
        out += ["# HELP fslm_http_requests_in_progress Requests being answered now.", "# TYPE fslm_http_requests_in_progress gauge",
                "fslm_http_requests_in_progress \(inProgress.load(ordering: .relaxed))"]
        histogram("fslm_run_duration_seconds", "Time from a run's start to its end.", ["workflow"], s.runDuration)
        histogram("fslm_http_request_duration_seconds", "Time to answer a request, to the end of its body.", ["route"], s.requestDuration)
        return out.joined(separator: "\n") + "\n"
    }

    /// `a="x",b="y"`, values escaped as the format asks.
    static func render(_ names: [String], _ values: Labels) -> String {
        zip(names, values).map { name, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(name)=\"\(escaped)\""
        }.joined(separator: ",")
    }
}
