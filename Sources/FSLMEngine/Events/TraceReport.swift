import Foundation

/// A JSONL trace read back and arranged as a tree of stages and attempts, for
/// `fslm trace show`.
public struct TraceReport: Sendable {
    /// A line that is not a JSON object, or lacks `type`.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var line: Int
        public var message: String
        /// `path:line: message`, or `path: message` for problems with the whole file.
        public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    struct Attempt {
        var number: Int
        var target = ""
        var prompt = ""
        var reply: String?
        var tokens: String?
        var failures: [String] = []
    }

    struct StageEntry {
        var id: String
        var summary = "not started"
        var attempts: [Attempt] = []
        var notes: [String] = []
    }

    var header = "run"
    var inputs: [(String, String)] = []
    var stages: [StageEntry] = []
    var outputs: [(String, String)] = []
    var footer = "the trace ends before the run finished"

    /// Reads the trace at `path`; every line must be one event object.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(path: path, line: 0, message: "cannot read the trace file")
        }
        var number = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let type = object["type"] as? String else {
                throw ReadError(path: path, line: number, message: "not a trace event (one JSON object with a \"type\" per line)")
            }
            apply(type, object)
        }
    }

    private mutating func stage(_ object: [String: Any]) -> Int {
        let id = object["stage"] as? String ?? "?"
        if let index = stages.firstIndex(where: { $0.id == id }) { return index }
        stages.append(StageEntry(id: id))
        return stages.count - 1
    }

    private mutating func apply(_ type: String, _ o: [String: Any]) {
        func int(_ key: String) -> Int { (o[key] as? NSNumber)?.intValue ?? 0 }
        func string(_ key: String) -> String { o[key] as? String ?? "" }
        switch type {
        case "run_started":
            header = "run \(string("run")) of '\(string("workflow"))'"
            inputs = (o["inputs"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
            stages = (o["stages"] as? [String] ?? []).map { StageEntry(id: $0) }
        case "stage_skipped":
            stages[stage(o)].summary = "skipped (\(string("reason")))"
        case "attempt_started":
            var a = Attempt(number: int("attempt"), prompt: string("prompt"))
            if let model = o["model"] as? String {
                a.target = "on \(model)" + ((o["adapter"] as? String).map { "/\($0)" } ?? "") + ((o["fallback"] as? Bool) == true ? " (fallback)" : "")
            } else {
                a.target = "text"
            }
            stages[stage(o)].attempts.append(a)
        case "generation_finished":
            let i = stage(o)
            guard !stages[i].attempts.isEmpty else { return }
            stages[i].attempts[stages[i].attempts.count - 1].reply = string("text")
            stages[i].attempts[stages[i].attempts.count - 1].tokens =
                "\(int("prompt_tokens")) → \(int("completion_tokens")) tokens, \(int("duration_ms")) ms, \(string("finish_reason"))"
        case "validation_failed", "attempt_failed":
            let i = stage(o)
            guard !stages[i].attempts.isEmpty, type == "validation_failed" || string("reason") != "invalid" else { return }
            let what = type == "validation_failed" ? "✘ \(string("validator")): " : "✘ \(string("reason")): "
            stages[i].attempts[stages[i].attempts.count - 1].failures.append(what + string("message"))
        case "retry_scheduled":
            stages[stage(o)].notes.append("retry in \(int("delay_ms")) ms")
        case "stage_finished":
            let i = stage(o)
            let attempts = int("attempts")
            var summary = "\(string("status")), \(attempts) attempt\(attempts == 1 ? "" : "s")"
            if let error = o["error"] as? String { summary += ": \(error)" }
            stages[i].summary = summary
        case "run_finished":
            footer = "run \(string("status"))" + ((o["error"] as? String).map { ": \($0)" } ?? "")
            outputs = (o["outputs"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        default:
            break
        }
    }

    /// The tree as text.
    public var text: String {
        var out = header + "\n"
        for (name, value) in inputs { out += "  input \(name) = \(value)\n" }
        for (n, stage) in stages.enumerated() {
            let last = n == stages.count - 1
            out += (last ? "└─ " : "├─ ") + "\(stage.id): \(stage.summary)\n"
            let bar = last ? "   " : "│  "
            for attempt in stage.attempts {
                out += bar + "• attempt \(attempt.number) \(attempt.target)\n"
                out += Self.block("prompt", attempt.prompt, indent: bar + "    ")
                if let reply = attempt.reply { out += Self.block("reply ", reply, indent: bar + "    ") }
                if let tokens = attempt.tokens { out += bar + "    (\(tokens))\n" }
                for failure in attempt.failures { out += bar + "    \(failure)\n" }
            }
        }
        for (name, value) in outputs { out += "output \(name): \(value)\n" }
        return out + footer + "\n"
    }

    private static func block(_ label: String, _ text: String, indent: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out = indent + label + ": " + (lines.first.map(String.init) ?? "") + "\n"
        for line in lines.dropFirst() { out += indent + String(repeating: " ", count: label.count + 2) + line + "\n" }
        return out
    }
}
