public import Foundation
public import FSLMInference
public import FSLMWorkflow

/// One thing that happened in a run. Every consumer (live view, JSONL trace, `--json`,
/// tests) reads the same stream of these, in the order the scheduler produced them.
public struct RunEvent: Sendable {
    public var runID: String
    /// 0, 1, 2, ... in emission order; streamed pieces (`generationProgress`) carry the number
    /// of the event that follows them and take none of their own.
    public var sequence: Int
    /// Time since the run started, on the scheduler's clock.
    public var elapsed: Duration
    /// Wall-clock time, for traces.
    public var timestamp: Date
    public var kind: Kind

    public init(runID: String, sequence: Int, elapsed: Duration, timestamp: Date, kind: Kind) {
        self.runID = runID
        self.sequence = sequence
        self.elapsed = elapsed
        self.timestamp = timestamp
        self.kind = kind
    }

    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// `stages` lists the workflow's stage ids in declaration order.
        case runStarted(workflow: String, stages: [String], inputs: [String: JSONValue])
        case stageStarted(stage: String)
        case stageSkipped(stage: String, reason: String)
        /// `prompt` is the full rendered prompt (or text, for text stages).
        case attemptStarted(stage: String, attempt: Int, model: String?, adapter: String?, fallback: Bool, prompt: String)
        /// A piece of text as the model produces it (live views; not written to traces, whose
        /// `generation_finished` holds the whole text).
        case generationProgress(stage: String, attempt: Int, text: String)
        case generationFinished(stage: String, attempt: Int, text: String, promptTokens: Int, completionTokens: Int,
                                duration: Duration, finishReason: GenerationResult.FinishReason)
        case validationFailed(stage: String, attempt: Int, validator: String, message: String, fix: String?)
        /// `reason` is `invalid`, `timeout` or `error`.
        case attemptFailed(stage: String, attempt: Int, reason: String, message: String)
        case retryScheduled(stage: String, nextAttempt: Int, delay: Duration)
        /// `status` is `succeeded`, `failed`, `skipped` or `invalid`; `output` is kept for all but failed.
        case stageFinished(stage: String, status: StageStatus, attempts: Int, output: String?, error: String?)
        case runFinished(status: RunStatus, outputs: [String: String], error: String?)
    }

    /// The stage an event is about, if any.
    public var stage: String? {
        switch kind {
        case .runStarted, .runFinished: nil
        case .stageStarted(let s), .stageSkipped(let s, _), .attemptStarted(let s, _, _, _, _, _),
            .generationProgress(let s, _, _), .generationFinished(let s, _, _, _, _, _, _), .validationFailed(let s, _, _, _, _), .attemptFailed(let s, _, _, _),
            .retryScheduled(let s, _, _), .stageFinished(let s, _, _, _, _):
            s
        }
    }
}

/// How a run ended.
public enum RunStatus: String, Sendable, Hashable, Codable {
    case succeeded, failed, cancelled
}
