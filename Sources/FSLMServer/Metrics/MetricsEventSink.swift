import FSLMEngine
import Synchronization

/// Counts a run's attempts, validator failures and tokens into `ServerMetrics` as its events come.
struct MetricsEventSink: EventSink {
    let workflow: String
    let metrics: ServerMetrics
    /// The model of each stage's attempt in flight, by stage (events carry it only at the start).
    private let models = ModelsByStage()

    init(workflow: String, metrics: ServerMetrics) {
        self.workflow = workflow
        self.metrics = metrics
    }

    func receive(_ event: RunEvent) {
        switch event.kind {
        case .attemptStarted(let stage, _, let model, _, _, _):
            metrics.attemptStarted(workflow: workflow, stage: stage)
            models.set(stage, model)
        case .validationFailed(let stage, _, let validator, _, _):
            metrics.validatorFailed(workflow: workflow, stage: stage, validator: validator)
        case .generationFinished(let stage, _, _, let promptTokens, let completionTokens, _, _):
            metrics.tokens(model: models.get(stage) ?? "", prompt: promptTokens, completion: completionTokens)
        default:
            break
        }
    }
}

/// The model named by each stage's latest attempt.
private final class ModelsByStage: Sendable {
    private let models = Mutex<[String: String]>([:])

    func set(_ stage: String, _ model: String?) { models.withLock { $0[stage] = model } }
    func get(_ stage: String) -> String? { models.withLock { $0[stage] } }
}
