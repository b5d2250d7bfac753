import Foundation
import FSLMInference
import FSLMWorkflow

/// The JSON form of an event, one object per trace line:
/// `{"run": ..., "seq": 0, "time": "2026-...Z", "elapsed_ms": 1.5, "type": "attempt_started", "stage": ..., ...}`.
extension RunEvent: Encodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The `type` of each kind of event, as traces spell it.
    public var typeName: String {
        switch kind {
        case .runStarted: "run_started"
        case .stageStarted: "stage_started"
        case .stageSkipped: "stage_skipped"
        case .attemptStarted: "attempt_started"
        case .generationProgress: "generation_progress"
        case .generationFinished: "generation_finished"
        case .validationFailed: "validation_failed"
        case .attemptFailed: "attempt_failed"
        case .retryScheduled: "retry_scheduled"
        case .stageFinished: "stage_finished"
        case .runFinished: "run_finished"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(runID, forKey: Key("run"))
        try c.encode(sequence, forKey: Key("seq"))
        try c.encode(Self.timeFormatter.string(from: timestamp), forKey: Key("time"))
        try c.encode(elapsed.milliseconds, forKey: Key("elapsed_ms"))
        try c.encode(typeName, forKey: Key("type"))
        func put<T: Encodable>(_ key: String, _ value: T?) throws {
            if let value { try c.encode(value, forKey: Key(key)) }
        }
        switch kind {
        case .runStarted(let workflow, let stages, let inputs):
            try put("workflow", workflow)
            try put("stages", stages)
            try put("inputs", inputs)
        case .stageStarted(let stage):
            try put("stage", stage)
        case .stageSkipped(let stage, let reason):
            try put("stage", stage)
            try put("reason", reason)
        case .attemptStarted(let stage, let attempt, let model, let adapter, let fallback, let prompt):
            try put("stage", stage)
            try put("attempt", attempt)
            try put("model", model)
            try put("adapter", adapter)
            try put("fallback", fallback)
            try put("prompt", prompt)
        case .generationProgress(let stage, let attempt, let text):
            try put("stage", stage)
            try put("attempt", attempt)
            try put("text", text)
        case .generationFinished(let stage, let attempt, let text, let promptTokens, let completionTokens, let duration, let finish):
            try put("stage", stage)
            try put("attempt", attempt)
            try put("text", text)
            try put("prompt_tokens", promptTokens)
            try put("completion_tokens", completionTokens)
            try put("duration_ms", duration.milliseconds)
            try put("finish_reason", finish.rawValue)
        case .validationFailed(let stage, let attempt, let validator, let message, let fix):
            try put("stage", stage)
            try put("attempt", attempt)
            try put("validator", validator)
            try put("message", message)
            try put("fix", fix)
        case .attemptFailed(let stage, let attempt, let reason, let message):
            try put("stage", stage)
            try put("attempt", attempt)
            try put("reason", reason)
            try put("message", message)
        case .retryScheduled(let stage, let next, let delay):
            try put("stage", stage)
            try put("next_attempt", next)
            try put("delay_ms", delay.milliseconds)
        case .stageFinished(let stage, let status, let attempts, let output, let error):
            try put("stage", stage)
            try put("status", status.rawValue)
            try put("attempts", attempts)
            try put("output", output)
            try put("error", error)
        case .runFinished(let status, let outputs, let error):
            try put("status", status.rawValue)
            try put("outputs", outputs)
            try put("error", error)
        }
    }

    nonisolated(unsafe) static let timeFormatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}

extension Duration {
    /// The duration in milliseconds, as a fractional number.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
